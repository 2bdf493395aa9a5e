package io.edgefn.devices.sim;

import io.edgefn.devices.spherelink.Payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.CommandResult;
import io.edgefn.api.Message;
import io.edgefn.devices.ByteTransport;
import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.DeviceDriver;
import io.edgefn.devices.DeviceDrivers;
import io.edgefn.devices.DeviceEnvironment;
import io.edgefn.devices.LinkState;
import io.edgefn.devices.TransportFactory;
import io.edgefn.devices.spherelink.BadFrames;
import io.edgefn.devices.spherelink.Frame;
import io.edgefn.devices.spherelink.FrameCodec;
import io.edgefn.devices.spherelink.FrameType;
import io.edgefn.devices.spherelink.RecordingListener;
import io.edgefn.devices.spherelink.ScriptedMcu;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver and the MCU side on the two ends of a real socat pty pair, both through jSerialComm. */
class SphereLinkOverPtyIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private PtyPair pty;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DeviceDriver driver;

    @BeforeEach
    void setUp() throws Exception {
        pty = PtyPair.open(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (driver != null) {
            driver.close();
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
        scheduler.shutdownNow();
        pty.close();
    }

    private DeviceDriver startDriver(DeviceConfig config) {
        driver = DeviceDrivers.create(config, new DeviceEnvironment("gw-it", InstantSource.system(), scheduler, listener,
                TransportFactory.serial()));
        driver.start();
        return driver;
    }

    private DeviceConfig config() {
        return DeviceConfig.of("pump-01", "sphere-link", pty.gatewayEnd().toString(), 115200);
    }

    private ByteTransport deviceEnd() throws Exception {
        ByteTransport t = TransportFactory.serial().open(pty.deviceEnd().toString(), 115200);
        toClose.add(t);
        return t;
    }

    private PumpSimulator simulator(double hz) throws Exception {
        PumpSimulator sim = PumpSimulator.builder(deviceEnd()).telemetryHz(hz).seed(1).build();
        toClose.add(sim);
        sim.start();
        return sim;
    }

    private ScriptedMcu onlineScriptedMcu() throws Exception {
        return onlineScriptedMcu(config());
    }

    private ScriptedMcu onlineScriptedMcu(DeviceConfig config) throws Exception {
        ScriptedMcu mcu = new ScriptedMcu(deviceEnd());
        toClose.add(mcu);
        startDriver(config);
        Frame ping = mcu.expect(FrameType.PING, WAIT);
        mcu.hello(ping.seq() + 1 & 0xFFFF, "pump-01");
        mcu.expect(FrameType.HELLO_ACK, WAIT);
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        return mcu;
    }

    @Test
    void simulatorBootsBeforeGateway_handshakeCompletesAndTelemetryFlows() throws Exception {
        PumpSimulator sim = simulator(50);
        startDriver(config());
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() >= 10);
        Message m = listener.ofFrameType("telemetry").get(0);
        JsonNode body = Payloads.objectOrNull(m.body());
        assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("ts", "pressure", "temp", "rpm");
        assertThat(m.systemProperty("connectionDeviceId")).isEqualTo("pump-01");
        assertThat(sim.hasSession()).isTrue();
        assertThat(driver.stats().badFramesTotal()).isZero();
    }

    @Test
    void telemetryAt1kHz_arrivesWithoutLossOrReordering() throws Exception {
        ScriptedMcu mcu = onlineScriptedMcu();
        int total = 3000;
        AtomicInteger next = new AtomicInteger();
        CountDownLatch sent = new CountDownLatch(1);
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = scheduler.scheduleAtFixedRate(() -> {
            int n = next.getAndIncrement();
            if (n >= total) {
                sent.countDown();
                task[0].cancel(false);
                return;
            }
            try {
                mcu.send(Frame.of(FrameType.TELEMETRY, n & 0xFFFF,
                        "{\"n\":" + n + ",\"ts\":" + System.currentTimeMillis() + ",\"pressure\":85.1,\"temp\":60.2,\"rpm\":1450}"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 1, 1, TimeUnit.MILLISECONDS);
        assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() >= total);
        List<Integer> ns = listener.ofFrameType("telemetry").stream()
                .map(m -> Payloads.objectOrNull(m.body()).path("n").asInt()).toList();
        assertThat(ns).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(ns.get(i)).as("message %d", i).isEqualTo(i);
        }
        assertThat(driver.stats().badFramesTotal()).isZero();
    }

    @Test
    void shutdownCommand_isAckedAndThePumpStops() throws Exception {
        PumpSimulator sim = simulator(100);
        startDriver(config());
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        CommandResult r = driver.sendCommand("shutdown", Map.of("reason", "pressure 140")).get(5, TimeUnit.SECONDS);
        assertThat(r.ok()).isTrue();
        assertThat(sim.isRunning()).isFalse();
        int seen = listener.ofFrameType("telemetry").size();
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() > seen + 3);
        List<Message> t = listener.ofFrameType("telemetry");
        assertThat(Payloads.objectOrNull(t.get(t.size() - 1).body()).path("rpm").asInt()).isZero();
        CommandResult unknown = driver.sendCommand("dance", Map.of()).get(5, TimeUnit.SECONDS);
        assertThat(unknown.status()).isEqualTo(CommandResult.Status.UNKNOWN_COMMAND);
    }

    @Test
    void lostAck_commandIsResentWithSameSeqAndSucceeds() throws Exception {
        ScriptedMcu mcu = onlineScriptedMcu(config().withOption("commandRetryMillis", 500));
        var result = driver.sendCommand("shutdown", Map.of("reason", "test"));
        Frame first = mcu.expect(FrameType.COMMAND, WAIT);
        Frame again = mcu.expect(FrameType.COMMAND, WAIT);
        assertThat(again).isEqualTo(first);
        mcu.send(Frame.of(FrameType.ACK, again.seq(), "{\"status\":\"ok\"}"));
        assertThat(result.get(5, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(driver.stats().retries()).isEqualTo(1);
    }

    @Test
    void duplicateEvent_isDeliveredOnceAndAcknowledgedTwice() throws Exception {
        ScriptedMcu mcu = onlineScriptedMcu();
        Frame event = Frame.of(FrameType.EVENT, 1234, "{\"name\":\"local-trip\"}");
        mcu.send(event);
        mcu.expect(FrameType.ACK, WAIT);
        mcu.send(event);
        assertThat(mcu.expect(FrameType.ACK, WAIT).seq()).isEqualTo(1234);
        assertThat(listener.ofFrameType("event")).hasSize(1);
        assertThat(driver.stats().duplicateEvents()).isEqualTo(1);
    }

    @Test
    void lineNoiseBetweenFrames_isSkippedAndCounted() throws Exception {
        ScriptedMcu mcu = onlineScriptedMcu();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(FrameCodec.encode(Frame.of(FrameType.TELEMETRY, 1, "{\"n\":1}")));
        wire.writeBytes(new byte[] {0x7E, 0x13, (byte) 0xFF, 0x00});
        wire.writeBytes(FrameCodec.encode(Frame.of(FrameType.TELEMETRY, 2, "{\"n\":2}")));
        wire.writeBytes(new byte[] {0x55, 0x55, 0x55});
        wire.writeBytes(FrameCodec.encode(Frame.of(FrameType.TELEMETRY, 3, "{\"n\":3}")));
        wire.writeBytes(FrameCodec.encode(Frame.of(FrameType.TELEMETRY, 4, "{\"n\":4}")));
        mcu.sendRaw(wire.toByteArray());
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() >= 3);
        assertThat(listener.ofFrameType("telemetry")).extracting(Message::bodyAsString)
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":4}");
        assertThat(driver.stats().badFramesTotal()).isEqualTo(2);
    }

    @Test
    void badCrcAndOversizedLength_areDroppedAndCountedByReason() throws Exception {
        ScriptedMcu mcu = onlineScriptedMcu();
        Frame frame = Frame.of(FrameType.TELEMETRY, 5, "{\"n\":5}");
        mcu.sendRaw(BadFrames.withBadCrc(frame));
        mcu.sendRaw(BadFrames.withLengthField(frame, 0x0800));
        mcu.sendRaw(FrameCodec.encode(frame));
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() == 1);
        assertThat(driver.stats().badFrames("crc")).isEqualTo(1);
        assertThat(driver.stats().badFrames("length")).isEqualTo(1);
    }

    @Test
    void farEndClosesAndComesBack_deviceGoesOfflineThenOnlineAgain() throws Exception {
        simulator(50);
        startDriver(config().withOption("reconnectMaxMillis", 400));
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        pty.kill();
        await().atMost(WAIT).until(() -> driver.state() == LinkState.OFFLINE);
        pty.restart();
        simulator(50);
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        await().atMost(WAIT).until(() -> listener.ofFrameType("lifecycle").size() >= 3);
        assertThat(listener.ofFrameType("lifecycle")).extracting(m -> Payloads.objectOrNull(m.body()).path("state").asText())
                .containsExactly("online", "offline", "online");
        assertThat(driver.stats().reconnects()).isPositive();
        int before = listener.ofFrameType("telemetry").size();
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() > before + 5);
    }

    @Test
    void gatewayGoesSilent_pumpFailSafeStopsItAndReportsWhenTheGatewayIsBack() throws Exception {
        PumpSimulator sim = simulator(20);
        startDriver(config().withFailSafe(Duration.ofMillis(1500)));
        await().atMost(WAIT).until(() -> sim.hasSession());
        driver.close();
        await().atMost(WAIT).until(() -> !sim.isRunning());
        assertThat(sim.failSafeTripped()).isTrue();
        startDriver(config().withFailSafe(Duration.ofMillis(1500)));
        await().atMost(WAIT).until(() -> listener.ofFrameType("event").stream()
                .anyMatch(m -> m.bodyAsString().contains("\"fail-safe\"")));
    }

    @Test
    void mcuClosesItsEndWhileTheLineStays_silenceTakesItOfflineAndANewMcuBringsItBack() throws Exception {
        PumpSimulator first = simulator(50);
        startDriver(config().withOption("pingAfterQuietMillis", 300).withOption("offlineAfterSilenceMillis", 1000));
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        first.close();
        await().atMost(WAIT).until(() -> driver.state() != LinkState.ONLINE);
        assertThat(listener.states).anySatisfy(c -> assertThat(c.reason()).startsWith("no frame for"));
        simulator(50);
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        assertThat(driver.stats().reconnects()).isPositive();
    }
}
