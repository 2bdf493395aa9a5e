package io.edgefn.devices.sim;

import io.edgefn.devices.spherelink.Payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.devices.InMemoryTransport;
import io.edgefn.devices.spherelink.Frame;
import io.edgefn.devices.spherelink.FrameType;
import io.edgefn.devices.spherelink.ScriptedMcu;
import io.edgefn.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated pump MCU against a scripted gateway on an in-memory line. */
class PumpSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final InMemoryTransport.Pair line = InMemoryTransport.pair("sim");
    private final ScriptedMcu gateway = new ScriptedMcu(line.gatewayEnd());
    private final List<PumpSimulator.CommandRead> commandsRead = new CopyOnWriteArrayList<>();
    private PumpSimulator sim;

    private PumpSimulator start(PumpSimulator.Builder b) {
        sim = b.clock(clock).seed(7).onCommandRead(commandsRead::add).build();
        sim.start();
        return sim;
    }

    /** Answers the simulator's HELLO and returns the HELLO. */
    private Frame handshake(String failSafeMillis) throws Exception {
        Frame hello = gateway.expect(FrameType.HELLO, WAIT);
        gateway.send(Frame.of(FrameType.HELLO_ACK, hello.seq(), "{\"gatewayId\":\"gw\",\"time\":1"
                + (failSafeMillis == null ? "" : ",\"failSafeMillis\":" + failSafeMillis) + "}"));
        await().atMost(WAIT).until(() -> sim.hasSession());
        return hello;
    }

    private Frame command(int seq, String json) throws Exception {
        gateway.send(Frame.of(FrameType.COMMAND, seq, json));
        Frame ack = gateway.expect(FrameType.ACK, WAIT);
        assertThat(ack.seq()).isEqualTo(seq);
        return ack;
    }

    @AfterEach
    void tearDown() throws IOException {
        if (sim != null) {
            sim.close();
        }
        gateway.close();
    }

    @Test
    void start_sendsHelloWithIdFirmwareAndCapabilities() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()).deviceId("pump-07"));
        JsonNode hello = Payloads.objectOrNull(gateway.expect(FrameType.HELLO, WAIT).payload());
        assertThat(hello.path("deviceId").asText()).isEqualTo("pump-07");
        assertThat(hello.path("firmware").asText()).isNotBlank();
        assertThat(hello.path("capabilities").isArray()).isTrue();
    }

    @Test
    void gatewayFrame_beforeHelloAck_isAnsweredWithHello() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()));
        gateway.expect(FrameType.HELLO, WAIT);
        gateway.send(Frame.empty(FrameType.PING, 1));
        assertThat(gateway.expect(FrameType.PONG, WAIT).seq()).isEqualTo(1);
        gateway.expect(FrameType.HELLO, WAIT);
    }

    @Test
    void telemetry_afterHandshake_carriesTheFourFieldsAtPlausibleValues() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()).telemetryHz(200));
        handshake(null);
        for (int i = 0; i < 20; i++) {
            JsonNode t = Payloads.objectOrNull(gateway.expect(FrameType.TELEMETRY, WAIT).payload());
            assertThat(t.path("ts").asLong()).isEqualTo(clock.millis());
            assertThat(t.path("pressure").asDouble()).isBetween(80.0, 90.0);
            assertThat(t.path("temp").asDouble()).isBetween(55.0, 65.0);
            assertThat(t.path("rpm").asLong()).isBetween(1400L, 1500L);
        }
    }

    @Test
    void shutdown_stopsThePumpAndAcksOk() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()));
        handshake(null);
        Frame ack = command(10, "{\"name\":\"shutdown\",\"args\":{\"reason\":\"pressure 140\"}}");
        assertThat(Payloads.objectOrNull(ack.payload()).path("status").asText()).isEqualTo("ok");
        assertThat(sim.isRunning()).isFalse();
        assertThat(sim.rpm()).isZero();
        assertThat(commandsRead).extracting(PumpSimulator.CommandRead::name).containsExactly("shutdown");
    }

    @Test
    void restart_runsThePumpAcksAndReportsPumpRestarted() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()));
        handshake(null);
        command(10, "{\"name\":\"shutdown\",\"args\":{}}");
        command(11, "{\"name\":\"restart\"}");
        Frame event = gateway.expect(FrameType.EVENT, WAIT);
        assertThat(Payloads.objectOrNull(event.payload()).path("name").asText()).isEqualTo("pump-restarted");
        gateway.send(Frame.of(FrameType.ACK, event.seq(), "{\"status\":\"ok\"}"));
        assertThat(sim.isRunning()).isTrue();
    }

    @Test
    void unknownCommand_isAnsweredUnknownCommand() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()));
        handshake(null);
        JsonNode ack = Payloads.objectOrNull(command(12, "{\"name\":\"dance\"}").payload());
        assertThat(ack.path("status").asText()).isEqualTo("unknown-command");
        assertThat(ack.path("detail").asText()).contains("dance");
    }

    @Test
    void command_resentWithSameSeqAndPayload_isActedOnOnceAndAckedAgain() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()));
        handshake(null);
        command(20, "{\"name\":\"restart\"}");
        Frame event = gateway.expect(FrameType.EVENT, WAIT);
        gateway.send(Frame.of(FrameType.ACK, event.seq(), "{\"status\":\"ok\"}"));
        command(20, "{\"name\":\"restart\"}");
        assertThat(sim.commandsActedOn()).isEqualTo(1);
        assertThat(commandsRead).hasSize(2);
    }

    @Test
    void event_unacknowledged_isResentThreeTimesWithSameSeq() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()).eventRetries(3, Duration.ofMillis(30)));
        handshake(null);
        var acked = sim.sendEvent("limit-switch", java.util.Map.of("position", "open"));
        Frame a = gateway.expect(FrameType.EVENT, WAIT);
        Frame b = gateway.expect(FrameType.EVENT, WAIT);
        Frame c = gateway.expect(FrameType.EVENT, WAIT);
        assertThat(List.of(b, c)).allSatisfy(f -> assertThat(f).isEqualTo(a));
        assertThat(acked.get(5, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void failSafe_gatewaySilentForThePeriod_stopsPumpAndReportsOnceLinkIsBack() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()));
        handshake("1500");
        clock.advance(Duration.ofMillis(1499));
        gateway.send(Frame.empty(FrameType.PING, 1));
        gateway.expect(FrameType.PONG, WAIT);
        assertThat(sim.isRunning()).isTrue();
        clock.advance(Duration.ofMillis(1500));
        await().atMost(WAIT).until(() -> !sim.isRunning());
        assertThat(sim.failSafeTripped()).isTrue();
        gateway.send(Frame.empty(FrameType.PING, 2));
        Frame event = gateway.expect(FrameType.EVENT, WAIT);
        assertThat(Payloads.objectOrNull(event.payload()).path("name").asText()).isEqualTo("fail-safe");
    }

    @Test
    void developingFault_afterTheDelay_makesPressureClimb() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()).telemetryHz(100).developingFaultAfter(Duration.ofSeconds(2))
                .faultRisePerSecond(10));
        handshake(null);
        clock.advance(Duration.ofSeconds(7));
        await().atMost(WAIT).until(() -> Payloads.objectOrNull(gateway.expect(FrameType.TELEMETRY, WAIT).payload())
                .path("pressure").asDouble() > 120);
    }

    @Test
    void injectReading_sendsThatPressureAtOnce() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()).telemetryHz(1));
        handshake(null);
        sim.injectReading(250.0);
        JsonNode t = Payloads.objectOrNull(gateway.expect(FrameType.TELEMETRY, WAIT).payload());
        assertThat(t.path("pressure").asDouble()).isEqualTo(250.0);
    }

    @Test
    void helloAck_newSession_forgetsCommandsActedOn() throws Exception {
        start(PumpSimulator.builder(line.deviceEnd()));
        Frame hello = handshake(null);
        command(30, "{\"name\":\"shutdown\",\"args\":{}}");
        gateway.send(Frame.of(FrameType.HELLO_ACK, hello.seq(), "{\"gatewayId\":\"gw2\",\"time\":2}"));
        command(30, "{\"name\":\"shutdown\",\"args\":{}}");
        assertThat(sim.commandsActedOn()).isEqualTo(2);
    }
}
