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
 * A compiled route condition against a hand-written Java predicate doing the same work with equal
 * effort (allocating nothing, {@link HandWritten}), in the same run: the typical properties-only
 * condition and a body condition (which reads the JSON body once per message, as routing does).
 * Three forks; {@code edgefn bench routes} runs it with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(3)
public class RouteConditionBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CompiledCondition.Evaluator typical;
    private CompiledCondition.Evaluator body;
    private Message hot;
    private Message json;
    private final HandWritten.BodyPressure bodyPressure = new HandWritten.BodyPressure(150);

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

    /**
     * The typical condition, hand-written at equal effort: the number scanned in place, nothing
     * allocated ({@link HandWritten#typical}).
     */
    @Benchmark
    public boolean typicalHandWritten() {
        return HandWritten.typical(hot);
    }

    /** The body condition, compiled (the body is parsed once per evaluation, as for a new message). */
    @Benchmark
    public Truth bodyCompiled() {
        return body.evaluate(json);
    }

    /**
     * The body condition, hand-written at equal effort: a scanner over the body's bytes that reads
     * only the member it needs, nothing allocated ({@link HandWritten.BodyPressure}). The
     * baseline of {@code bodyCompiled}.
     */
    @Benchmark
    public boolean bodyHandWritten() {
        return bodyPressure.test(json);
    }

    /**
     * The body condition as a quick hand-written version would be: Jackson's {@code readTree} of
     * the whole body. For reference only — not the baseline (it allocates a tree per message).
     */
    @Benchmark
    public boolean bodyJacksonTree() throws IOException {
        if (!"application/json".equalsIgnoreCase(json.systemProperty("contentType"))
                || !"utf-8".equalsIgnoreCase(json.systemProperty("contentEncoding"))) {
            return false;
        }
        JsonNode root = JSON.readTree(json.body());
        JsonNode pressure = root.get("pressure");
        return pressure != null && pressure.isNumber() && pressure.doubleValue() > 150;
    }
}
