package io.edgefn.benchmarks.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.edgefn.api.Message;
import io.edgefn.routes.CompiledCondition;
import io.edgefn.routes.RouteCompiler;
import io.edgefn.routes.Truth;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HandWrittenTest {

    private static final CompiledCondition.Evaluator BODY =
            RouteCompiler.create().compileCondition("$body.pressure > 150").evaluator();
    private static final CompiledCondition.Evaluator TYPICAL = RouteCompiler.create()
            .compileCondition("as_number(temp) > 90 AND $connectionDeviceId = 'pump-01'").evaluator();

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"pressure\": 160.5, \"temp\": 92.5}",
            "{\"pressure\":150}",
            "{\"pressure\":150.0001}",
            "{\"temp\": \"x\", \"pressure\": 1.6e2}",
            "{\"a\": {\"pressure\": 999}, \"pressure\": 10}",
            "{\"a\": [1, {\"b\": \"}\"}], \"s\": \"\\\"pressure\\\": 999\", \"pressure\": 151}",
            "{\"pressure\": \"160\"}",
            "{\"pressure\": null}",
            "{\"pressure\": true}",
            "{\"pressure\": {\"v\": 200}}",
            "{}",
            "{\"other\": 160}",
            "[{\"pressure\": 160}]",
            "  {  \"pressure\"  :  -200 }  ",
            "{\"pressure\": 12345678901234567890}",
            "not json"})
    void bodyPressure_agreesWithTheCompiledCondition(String body) {
        Message m = Message.builder().jsonBody(body).build();
        boolean compiled = BODY.evaluate(m) == Truth.TRUE;

        assertThat(new HandWritten.BodyPressure(150).test(m)).as(body).isEqualTo(compiled);
    }

    @ParameterizedTest
    @ValueSource(strings = {"92.5", " 91 ", "90", "90.0000001", "-95", "9e1", "1e2", "abc", "", "+91.25"})
    void typical_agreesWithTheCompiledCondition(String temp) {
        Message m = Message.builder().property("temp", temp).systemProperty("connectionDeviceId", "pump-01").build();
        boolean compiled = TYPICAL.evaluate(m) == Truth.TRUE;

        assertThat(HandWritten.typical(m)).as("temp '%s'", temp).isEqualTo(compiled);
    }

    @Test
    void decimal_matchesParseDouble() {
        for (String s : List.of("0.1", "92.5", "123456789012345", "0.000000000000001", "-3.25", "7")) {
            assertThat(HandWritten.decimal(s)).as(s).isEqualTo(Double.parseDouble(s));
        }
    }

    @Test
    void topLevelNumber_notAnObject_isNaN() {
        byte[] body = "42".getBytes(StandardCharsets.UTF_8);
        assertThat(HandWritten.topLevelNumber(body, body.length, "pressure".getBytes(StandardCharsets.UTF_8))).isNaN();
    }

    @Test
    void predicates_allocateNothingButTheBodysCopy() {
        Message hot = Message.builder().property("temp", "92.5").property("unit", "C")
                .systemProperty("connectionDeviceId", "pump-01").build();
        Message json = Message.builder().jsonBody("{\"pressure\": 160.5, \"temp\": 92.5, \"unit\": \"C\"}")
                .systemProperty("connectionDeviceId", "pump-01").build();
        HandWritten.BodyPressure body = new HandWritten.BodyPressure(150);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int hits = 0;
        for (int i = 0; i < 200_000; i++) { // let the JIT compile both
            hits += (HandWritten.typical(hot) ? 1 : 0) + (body.test(json) ? 1 : 0);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            hits += HandWritten.typical(hot) ? 1 : 0;
        }
        long typical = mx.getCurrentThreadAllocatedBytes() - before;
        before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            hits += body.test(json) ? 1 : 0;
        }
        long scan = mx.getCurrentThreadAllocatedBytes() - before;
        before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            hits += json.body().length > 0 ? 1 : 0;
        }
        long copyAlone = mx.getCurrentThreadAllocatedBytes() - before;

        assertThat(hits).isEqualTo(700_000);
        assertThat(typical).as("bytes allocated by 100,000 typical evaluations").isLessThan(100_000);
        assertThat(scan).as("bytes allocated by 100,000 body evaluations beyond Message.body()'s copy")
                .isLessThan(copyAlone + 100_000);
    }
}
