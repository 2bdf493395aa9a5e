package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.FunctionPackage;
import io.edgefn.js.JsEngine;
import io.edgefn.js.JsPackager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JavaScript function packaged with {@link JsPackager}, checked by {@link FunctionPackage} and
 * run by the host: route input to output, a timer, and a runaway loop stopped by the invocation's
 * timeout while the function keeps serving.
 */
class JsFunctionIT {

    @TempDir
    Path dir;

    @Test
    void jsPackage_servesRoutesAndTimersAndSurvivesARunawayLoop() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("calc.mjs"), """
                export const edgefn = {
                  name: "calc", timeoutMillis: 300, retries: 0,
                  outputs: ["out", "ticks"],
                  triggers: [{route: "in", handler: "onIn", output: "out"}, {timer: "PT0.05S", handler: "tick"}],
                };
                let ticks = 0;
                export function onIn(message, ctx) {
                  if (message.body.spin) { for (;;) {} }
                  return {doubled: message.body.value * 2, greeting: ctx.settings.greeting};
                }
                export function tick(ctx) {
                  if (ticks++ === 0) ctx.output("ticks").send("tick");
                }
                """);
        Path jar = dir.resolve("calc.jar");
        try (JsEngine engine = JsEngine.create(JsEngine.Options.defaults())) {
            JsPackager.pack(engine, scripts, jar);
        }
        assertThat(FunctionPackage.open(jar, null).index().function("calc").runtime()).isEqualTo("js");
        String json = """
                {"packages": {"calc": {"file": "%s", "settings": {"greeting": "hi"}}},
                 "routes": {"in": "FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO BrokeredEndpoint(\\"/modules/calc/inputs/in\\")",
                            "out": "FROM /messages/modules/calc/outputs/out INTO $upstream",
                            "ticks": "FROM /messages/modules/calc/outputs/ticks INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "js deployment", dir);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).build().start()) {
            host.submit(Message.builder().jsonBody("{\"spin\": true}").build()).get();
            await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().functions().get("calc").timeouts() == 1);
            host.submit(Message.builder().jsonBody("{\"value\": 21}").build()).get();
            await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().upstreamHeld() >= 2);
            List<BufferedRecord> records = host.buffer().cursor(UpstreamRecords.CURSOR).poll(2);
            assertThat(records).extracting(r -> UpstreamRecords.decode(r.payload()).bodyAsString())
                    .containsExactlyInAnyOrder("tick", "{\"doubled\":42,\"greeting\":\"hi\"}");
            assertThat(host.stats().functions().get("calc").failures()).isEqualTo(1);
        }
    }
}
