package io.edgefn.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.edgefn.index.TriggerDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Declarations read in the sandbox and checked as the processor checks Java; reproducible jars. */
class JsPackagerTest {

    private static final String GOOD = """
            export const edgefn = {
              name: "detector", timeoutMillis: 2000, outputs: ["anomalies", "alerts"], deviceCommands: true,
              triggers: [
                {route: "aggregates", handler: "onAggregate", output: "anomalies"},
                {timer: "PT5S", handler: "tick"},
                {cron: "0 */5 * * * *", handler: "tick"},
              ],
            };
            export function onAggregate(message, ctx) { return null; }
            export function tick(ctx) {}
            """;

    private static JsEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = JsEngine.create(JsEngine.Options.defaults().withStatementLimit(1_000_000));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void read_goodDeclaration_givesTheIndexEntry() {
        FunctionDescriptor f = JsDeclaration.read(engine, "js/detector.mjs", GOOD);
        assertThat(f.name()).isEqualTo("detector");
        assertThat(f.runtime()).isEqualTo("js");
        assertThat(f.source()).isEqualTo("js/detector.mjs");
        assertThat(f.timeoutMillis()).isEqualTo(2000);
        assertThat(f.maxConcurrency()).isEqualTo(1);
        assertThat(f.retries()).isEqualTo(2);
        assertThat(f.inputs()).containsExactly("aggregates");
        assertThat(f.outputs()).containsExactly("alerts", "anomalies");
        assertThat(f.usesDeviceCommands()).isTrue();
        assertThat(f.methods()).extracting(m -> m.name() + " " + m.trigger() + " " + m.returnOutput()).containsExactly(
                "onAggregate " + new TriggerDescriptor.Route("aggregates") + " anomalies",
                "tick " + TriggerDescriptor.Timer.ofFixedRate("PT5S", 5000) + " null",
                "tick " + TriggerDescriptor.Timer.ofCron("0 */5 * * * *") + " null");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "name: \"detector\"|name: \"9lives\"|edgefn.name: '9lives'; a function name is letters",
            "handler: \"onAggregate\"|handler: \"onAggregat\"|edgefn.triggers[0].handler: the module exports no function 'onAggregat'",
            "output: \"anomalies\"|output: \"nowhere\"|edgefn.triggers[0].output: \"nowhere\" is not one of the declared outputs [alerts, anomalies]",
            "timer: \"PT5S\"|timer: \"5 seconds\"|edgefn.triggers[1].timer: fixedRate \"5 seconds\" is not an ISO-8601 duration",
            "cron: \"0 */5 * * * *\"|cron: \"*/5 * * * *\"|edgefn.triggers[2].cron:",
            "{timer: \"PT5S\", handler: \"tick\"}|{route: \"aggregates\", handler: \"tick\"}|route input 'aggregates' triggers two handlers",
            "outputs: [\"anomalies\", \"alerts\"]|outputs: [\"anomalies\", \"bad name\"]|edgefn.outputs[1]: \"bad name\" is not an output name",
            "deviceCommands: true|deviceCommands: true, state: {}|edgefn.state: unknown key",
            "timeoutMillis: 2000|timeoutMillis: 0|edgefn.timeoutMillis: 0 must be a whole number from 1",
            "{timer: \"PT5S\", handler: \"tick\"}|{timer: \"PT5S\", route: \"x\", handler: \"tick\"}|exactly one of 'route', 'timer'",
            "export const edgefn|export const notEdgefn|exports no 'edgefn' declaration",
            "export function tick(ctx) {}|export function tick(ctx) {} throw new Error('boom');|the module does not evaluate: Error: boom",
            "export function tick(ctx) {}|export function tick(ctx) {} Java.type('java.io.File');|Access to host class java.io.File is not allowed",
            "export function tick(ctx) {}|export function tick(ctx) {} for (;;) {}|Statement count limit of 1000000 exceeded",
    })
    void read_badDeclaration_namesTheProblemAndWhere(String from, String to, String message) {
        String code = GOOD.replace(from, to);
        assertThat(code).isNotEqualTo(GOOD);
        JsException e = catchThrowableOfType(JsException.class, () -> JsDeclaration.read(engine, "js/detector.mjs", code));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("js/detector.mjs: ").contains(message);
    }

    @Test
    void pack_sameScriptsTwice_givesTheSameBytes() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts/sub"));
        Files.writeString(scripts.resolve("detector.mjs"), GOOD);
        FunctionIndex index = JsPackager.pack(engine, dir.resolve("scripts"), dir.resolve("a.jar"));
        assertThat(index.function("detector").source()).isEqualTo("js/sub/detector.mjs");
        JsPackager.pack(engine, dir.resolve("scripts"), dir.resolve("b.jar"));
        assertThat(sha256(dir.resolve("a.jar"))).isEqualTo(sha256(dir.resolve("b.jar")));
    }

    @Test
    void pack_twoModulesDeclaringOneName_isRefused() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("a.mjs"), GOOD);
        Files.writeString(scripts.resolve("b.mjs"), GOOD);
        JsException e = catchThrowableOfType(JsException.class,
                () -> JsPackager.pack(engine, scripts, dir.resolve("x.jar")));
        assertThat(e.getMessage()).contains("js/b.mjs: function name 'detector' is also declared by js/a.mjs");
        assertThat(dir.resolve("x.jar")).doesNotExist();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
