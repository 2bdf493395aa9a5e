package io.edgefn.examples.pump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.Message;
import io.edgefn.test.FunctionTestKit;
import io.edgefn.test.SentCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PumpShutdown} with the test kit: scripted MCU answers, a fake clock, no host. */
class PumpShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionTestKit kit;

    @BeforeEach
    void start() {
        kit = FunctionTestKit.of(PumpShutdown.class).start();
    }

    @AfterEach
    void close() {
        kit.close();
    }

    private static String anomaly(String deviceId, long detectedAt) {
        return "{\"deviceId\":\"" + deviceId + "\",\"detectedAt\":" + detectedAt
                + ",\"reason\":\"slope\",\"pressure\":89.94,\"baseline\":85,\"zScore\":5,\"slope\":2.9,\"consecutive\":5}";
    }

    private static JsonNode body(Message m) throws Exception {
        return JSON.readTree(m.body());
    }

    @Test
    void onAnomaly_acknowledgedShutdown_reportsTheOutcomeAndCommandsOnlyOnce() throws Exception {
        kit.devices().answer("pump-01", "shutdown", CommandResult.Status.OK, Duration.ofMillis(3));
        long detectedAt = kit.clock().millis();
        kit.clock().advance(Duration.ofMillis(12));

        kit.send("anomalies", anomaly("pump-01", detectedAt));
        kit.send("anomalies", anomaly("pump-01", detectedAt));

        assertThat(kit.devices().sent()).containsExactly(
                new SentCommand("pump-01", "shutdown", Map.of("reason", "slope: pressure 89.9 bar")));
        List<Message> outcomes = kit.outputs("outcomes");
        assertThat(outcomes).hasSize(1);
        JsonNode outcome = body(outcomes.get(0));
        assertThat(outcome.path("acknowledged").asBoolean()).isTrue();
        assertThat(outcome.path("status").asText()).isEqualTo("OK");
        assertThat(outcome.path("commandMillis").asLong()).isEqualTo(3);
        assertThat(outcome.path("anomalyToAckMillis").asLong()).isEqualTo(12);
    }

    @Test
    void onAnomaly_unanswered_reportsWhyAndCommandsAgainNextTime() throws Exception {
        kit.devices().fail("pump-01", "shutdown", DeviceCommandException.Reason.TIMEOUT);

        kit.send("anomalies", anomaly("pump-01", kit.clock().millis()));
        kit.send("anomalies", anomaly("pump-01", kit.clock().millis()));

        assertThat(kit.devices().sent()).hasSize(2);
        assertThat(kit.outputs("outcomes")).hasSize(2).allSatisfy(m -> {
            assertThat(body(m).path("acknowledged").asBoolean()).isFalse();
            assertThat(body(m).path("status").asText()).isEqualTo("TIMEOUT");
        });
    }

    @Test
    void onPumpEvent_restarted_allowsTheNextShutdown() {
        kit.devices().answer("pump-01", "shutdown", CommandResult.Status.OK, Duration.ofMillis(3));
        kit.send("anomalies", anomaly("pump-01", kit.clock().millis()));

        kit.send("events", FunctionTestKit.deviceMessage("pump-01", "{\"name\":\"pump-restarted\"}"));
        kit.send("anomalies", anomaly("pump-01", kit.clock().millis()));

        assertThat(kit.devices().sent()).hasSize(2);
        assertThat(kit.outputs("outcomes")).hasSize(2);
    }
}
