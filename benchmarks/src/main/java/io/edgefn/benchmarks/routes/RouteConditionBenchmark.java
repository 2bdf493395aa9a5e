package io.edgefn.benchmarks.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.Message;
import io.edgefn.routes.RouteCompiler;
import io.edgefn.routes.RouteSpec;
import io.edgefn.routes.CompiledCondition;
import io.edgefn.routes.Truth;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A compiled route condition against a hand-written Java predicate doing the same work, in the
 * same run: the typical properties-only condition and a body condition (which parses the JSON
 * body once per message, as routing does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RouteConditionBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CompiledCondition.Evaluator typical;
    private CompiledCondition.Evaluator body;
    private Message hot;
    private Message json;

    /** Compiles both conditions (checking they compile) and builds the messages. */
    @Setup
    public void setUp() {
        RouteCompiler.create().compile(RouteSpec.of("check", "FROM /messages WHERE as_number(temp) > 90 AND "
                + "$connectionDeviceId = 'pump-01' INTO $upstream"));
        typical = RouteCompiler.create().compileCondition("as_number(temp) > 90 AND $connectionDeviceId = 'pump-01'").evaluator();
        body = RouteCompiler.create().compileCondition("$body.pressure > 150").evaluator();
        hot = Message.builder().property("temp", "92.5").property("unit", "C").property("site", "north")
                .systemProperty("connectionDeviceId", "pump-01").systemProperty("messageId", "m-1").build();
        json = Message.builder().jsonBody("{\"pressure\": 160.5, \"temp\": 92.5, \"unit\": \"C\"}")
                .systemProperty("connectionDeviceId", "pump-01").build();
    }

    /** The typical condition, compiled. */
    @Benchmark
    public Truth typicalCompiled() {
        return typical.evaluate(hot);
    }

    /** The typical condition, hand-written. */
    @Benchmark
    public boolean typicalHandWritten() {
        String temp = hot.property("temp");
        if (temp == null) {
            return false;
        }
        double value;
        try {
            value = Double.parseDouble(temp.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        return value > 90 && "pump-01".equals(hot.systemProperty("connectionDeviceId"));
    }

    /** The body condition, compiled (the body is parsed once per evaluation, as for a new message). */
    @Benchmark
    public Truth bodyCompiled() {
        return body.evaluate(json);
    }

    /** The body condition, hand-written with Jackson. */
    @Benchmark
    public boolean bodyHandWritten() throws IOException {
        if (!"application/json".equalsIgnoreCase(json.systemProperty("contentType"))
                || !"utf-8".equalsIgnoreCase(json.systemProperty("contentEncoding"))) {
            return false;
        }
        JsonNode root = JSON.readTree(json.body());
        JsonNode pressure = root.get("pressure");
        return pressure != null && pressure.isNumber() && pressure.doubleValue() > 150;
    }
}
