package io.edgefn.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.test.fns.Heartbeat;
import io.edgefn.test.fns.Scaler;
import io.edgefn.test.fns.Stopper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionTestKitTest {

    @Test
    void send_runsTheFunctionAndCollectsItsReturnValueOnItsOutput() {
        try (FunctionTestKit kit = FunctionTestKit.of(Scaler.class).start()) {
            kit.send("in", "{\"value\": 21}");

            assertThat(kit.outputs("out")).singleElement().satisfies(m -> {
                assertThat(m.bodyAsString()).isEqualTo("{\"value\":42.0}");
                assertThat(m.systemProperty(SystemProperties.CONTENT_TYPE)).isEqualTo("application/json");
                assertThat(m.systemProperty(SystemProperties.CONNECTION_MODULE_ID)).isEqualTo("scaler");
                assertThat(m.systemProperty(SystemProperties.OUTPUT_NAME)).isEqualTo("out");
            });
        }
    }

    @Test
    void settings_reachTheFunctionAndDesiredOverlaysThem() {
        try (FunctionTestKit kit = FunctionTestKit.of(Scaler.class).settings(Map.of("factor", 3)).start()) {
            kit.send("in", "{\"value\": 2}");
            assertThat(kit.outputs("out")).extracting(Message::bodyAsString).containsExactly("{\"value\":6.0}");
        }
        try (FunctionTestKit kit = FunctionTestKit.of(Scaler.class).settings(Map.of("factor", 3))
                .desired(Map.of("factor", 10)).start()) {
            kit.send("in", "{\"value\": 2}");
            assertThat(kit.outputs("out")).extracting(Message::bodyAsString).containsExactly("{\"value\":20.0}");
        }
    }

    @Test
    void send_whenTheFunctionThrows_failsWithItsExceptionAndDiscardsOutputs() {
        try (FunctionTestKit kit = FunctionTestKit.of(Scaler.class).start()) {
            assertThatThrownBy(() -> kit.send("in", "{\"value\": -1}"))
                    .isInstanceOf(FunctionFailedException.class)
                    .hasMessageContaining("function 'scaler' failed in scale on input 'in': negative reading -1.0")
                    .hasRootCauseInstanceOf(IllegalArgumentException.class);
            assertThat(kit.outputs("out")).isEmpty();
        }
    }

    @Test
    void send_aBodyThatDoesNotBind_failsWithTheBindersMessage() {
        try (FunctionTestKit kit = FunctionTestKit.of(Scaler.class).start()) {
            assertThatThrownBy(() -> kit.send("in", "not json"))
                    .isInstanceOf(FunctionFailedException.class)
                    .hasMessageContaining("cannot be read as");
        }
    }

    @Test
    void send_toAnUnknownInputOrOutput_namesTheOnesThereAre() {
        try (FunctionTestKit kit = FunctionTestKit.of(Scaler.class).start()) {
            assertThatThrownBy(() -> kit.send("inn", "{}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("function 'scaler' has no input 'inn'; its inputs: [in]");
            assertThatThrownBy(() -> kit.outputs("outt"))
                    .hasMessage("function 'scaler' has no output 'outt'; its outputs: [out]");
        }
    }

    @Test
    void advance_firesTimersAtTheirScheduledInstants() {
        try (FunctionTestKit kit = FunctionTestKit.of(Heartbeat.class).start()) {
            assertThat(kit.outputs("beats")).isEmpty();

            kit.clock().advance(Duration.ofMillis(3_500));

            assertThat(kit.outputs("beats")).extracting(Message::bodyAsString).containsExactly(
                    "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z", "2026-01-01T00:00:03Z");
            assertThat(kit.clock().instant()).isEqualTo(FunctionTestKit.DEFAULT_START.plusMillis(3_500));

            kit.clock().advance(Duration.ofMillis(500));
            assertThat(kit.outputs("beats")).hasSize(4);
        }
    }

    @Test
    void advance_backwards_isRefused() {
        try (FunctionTestKit kit = FunctionTestKit.of(Heartbeat.class).start()) {
            assertThatThrownBy(() -> kit.clock().advance(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only moves forward");
        }
    }

    @Test
    void devices_answerAsScriptedAndRecordWhatWasSent() {
        try (FunctionTestKit kit = FunctionTestKit.of(Stopper.class).start()) {
            kit.devices().answer("pump-01", "stop", CommandResult.Status.OK, Duration.ofMillis(3));
            kit.devices().fail("pump-02", "stop", DeviceCommandException.Reason.TIMEOUT);

            kit.send("alarms", "{\"deviceId\": \"pump-01\"}");
            kit.send("alarms", "{\"deviceId\": \"pump-02\"}");
            kit.send("alarms", "{\"deviceId\": \"pump-03\"}");

            assertThat(kit.outputs("outcomes")).extracting(Message::bodyAsString)
                    .containsExactly("OK", "TIMEOUT", "UNKNOWN_DEVICE");
            assertThat(kit.devices().sent()).containsExactly(
                    new SentCommand("pump-01", "stop", Map.of("why", "alarm")),
                    new SentCommand("pump-02", "stop", Map.of("why", "alarm")),
                    new SentCommand("pump-03", "stop", Map.of("why", "alarm")));
        }
    }

    @Test
    void ofPackage_runsEveryFunctionOfThePackageByName() {
        try (FunctionTestKit kit = FunctionTestKit.ofPackage("io.edgefn.test.fns")
                .settings("scaler", Map.of("factor", 5)).start()) {
            assertThat(kit.functionNames()).containsExactly("heartbeat", "scaler", "stopper");

            kit.send("scaler", "in", FunctionTestKit.deviceMessage("sensor-1", "{\"value\": 1}"));
            kit.clock().advance(Duration.ofSeconds(1));

            assertThat(kit.outputs("scaler", "out")).extracting(Message::bodyAsString).containsExactly("{\"value\":5.0}");
            assertThat(kit.outputs("heartbeat", "beats")).hasSize(1);
            assertThatThrownBy(() -> kit.outputs("out"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("this kit runs 3 functions [heartbeat, scaler, stopper]; name the function");
        }
    }

    @Test
    void start_withAClassNoIndexLists_saysHowToFixTheBuild() {
        assertThatThrownBy(() -> FunctionTestKit.of(String.class).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no function index on the test class path lists the class java.lang.String")
                .hasMessageContaining("annotationProcessorPaths");
    }

    @Test
    void start_withSettingsForAFunctionItDoesNotRun_refuses() {
        assertThatThrownBy(() -> FunctionTestKit.of(Scaler.class).settings("scalr", Map.of()).start())
                .hasMessage("settings were given for function 'scalr', which this kit does not run; it runs [scaler]");
    }

    @Test
    void invokeMethod_runsTheDirectMethod_withItsSettings_andAnswersItsStatus() {
        try (FunctionTestKit kit = FunctionTestKit.of(Scaler.class).settings(Map.of("factor", 3)).start()) {
            io.edgefn.api.MethodResult ok = kit.invokeMethod("preview", "{\"value\": 2}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.payload()).isEqualTo(new Scaler.Reading(6));
            assertThat(kit.invokeMethod("preview", "{\"value\": -1}").status()).isEqualTo(400);
            assertThatThrownBy(() -> kit.invokeMethod("nope", "{}")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("serves no direct method 'nope'").hasMessageContaining("preview");
        }
    }

    @Test
    void invokeHttp_runsTheHttpTriggerWithPathParametersAndBody() {
        try (FunctionTestKit kit = FunctionTestKit.of(io.edgefn.test.httpfns.PumpPanel.class).start()) {
            io.edgefn.api.HttpResult state = kit.invokeHttp("GET", "state/p1", null);
            io.edgefn.api.HttpResult speed = kit.invokeHttp("PUT", "state/p2", "{\"rpm\": 900}");

            assertThat(state.status()).isEqualTo(200);
            assertThat(state.body()).isEqualTo(new io.edgefn.test.httpfns.PumpPanel.State("p1", "/fn/pump-panel/state/p1", 100));
            assertThat(speed.status()).isEqualTo(202);
            assertThat(speed.body()).isEqualTo(new io.edgefn.test.httpfns.PumpPanel.State("p2", "", 900));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> kit.invokeHttp("DELETE", "state/p1", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("function 'pump-panel' serves no HTTP DELETE 'state/p1'");
        }
    }

    @Test
    void state_inMemoryByDefault_durableInAStateDirectory_andReportedPropertiesAreKept(@org.junit.jupiter.api.io.TempDir
                                                                                     java.nio.file.Path dir) {
        try (FunctionTestKit kit = FunctionTestKit.of(io.edgefn.test.state.Tally.class).settings(Map.of("step", 2)).start()) {
            kit.send("words", "pump");
            kit.send("words", "pump");
            kit.send("words", "valve");
            assertThat(kit.state("counts").toString()).isEqualTo("{pump={\"n\":4}, valve={\"n\":2}}");
            assertThat(kit.reported().toString()).isEqualTo("{\"words\":2}");
            assertThat(kit.state("no-such-store")).isEmpty();
        }
        try (FunctionTestKit kit = FunctionTestKit.of(io.edgefn.test.state.Tally.class).start()) {
            assertThat(kit.state("counts")).as("in memory: a new kit starts empty").isEmpty();
        }
        try (FunctionTestKit kit = FunctionTestKit.of(io.edgefn.test.state.Tally.class).stateDirectory(dir).start()) {
            kit.send("words", "pump");
        }
        try (FunctionTestKit kit = FunctionTestKit.of(io.edgefn.test.state.Tally.class).stateDirectory(dir).start()) {
            kit.send("words", "pump"); // a restart: the count goes on
            assertThat(kit.state("counts").get("pump").get("n").asLong()).isEqualTo(2);
        }
        assertThat(dir.resolve("tally/counts.log")).exists();
    }
}
