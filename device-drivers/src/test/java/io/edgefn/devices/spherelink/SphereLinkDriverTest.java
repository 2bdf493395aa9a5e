package io.edgefn.devices.spherelink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.Message;
import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.DeviceDriver;
import io.edgefn.devices.DeviceDriverException;
import io.edgefn.devices.DeviceDrivers;
import io.edgefn.devices.DriverStats;
import io.edgefn.devices.DeviceEnvironment;
import io.edgefn.devices.InMemoryTransport;
import io.edgefn.devices.LinkState;
import io.edgefn.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver against a scripted MCU on an in-memory line, with a hand-moved clock. */
class SphereLinkDriverTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final RecordingListener listener = new RecordingListener();
    private final LinkedBlockingQueue<ScriptedMcu> mcus = new LinkedBlockingQueue<>();
    private final List<ScriptedMcu> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
    private DeviceDriver driver;

    private DeviceEnvironment env(long seed) {
        return new DeviceEnvironment("gw-1", clock, scheduler, listener, (port, baud) -> {
            InMemoryTransport.Pair pair = InMemoryTransport.pair(port);
            ScriptedMcu mcu = new ScriptedMcu(pair.deviceEnd());
            opened.add(mcu);
            mcus.add(mcu);
            return pair.gatewayEnd();
        }, new Random(seed));
    }

    private DeviceConfig config() {
        return DeviceConfig.of("pump-01", "sphere-link", "mem0", 115200).withOption("tickMillis", 10);
    }

    private ScriptedMcu startOnline(DeviceConfig config) throws Exception {
        driver = DeviceDrivers.create(config, env(42));
        driver.start();
        ScriptedMcu mcu = mcus.poll(5, TimeUnit.SECONDS);
        assertThat(mcu).as("port opened").isNotNull();
        Frame ping = mcu.expect(FrameType.PING, WAIT);
        mcu.hello(ping.seq() ^ 0x5555, "pump-01");
        mcu.expect(FrameType.HELLO_ACK, WAIT);
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        return mcu;
    }

    @AfterEach
    void tearDown() throws IOException {
        if (driver != null) {
            driver.close();
        }
        for (ScriptedMcu m : opened) {
            m.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void start_helloFromMcu_answersHelloAckWithSameSeqAndGoesOnline() throws Exception {
        driver = DeviceDrivers.create(config().withFailSafe(Duration.ofMillis(1500)), env(1));
        driver.start();
        ScriptedMcu mcu = mcus.poll(5, TimeUnit.SECONDS);
        mcu.expect(FrameType.PING, WAIT);
        mcu.hello(777, "pump-01");
        Frame ack = mcu.expect(FrameType.HELLO_ACK, WAIT);
        assertThat(ack.seq()).isEqualTo(777);
        JsonNode body = Payloads.objectOrNull(ack.payload());
        assertThat(body.path("gatewayId").asText()).isEqualTo("gw-1");
        assertThat(body.path("time").asLong()).isEqualTo(clock.millis());
        assertThat(body.path("failSafeMillis").asLong()).isEqualTo(1500);
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        await().atMost(WAIT).until(() -> listener.ofFrameType("lifecycle").size() == 1);
        Message online = listener.ofFrameType("lifecycle").get(0);
        assertThat(Payloads.objectOrNull(online.body()).path("state").asText()).isEqualTo("online");
        assertThat(online.systemProperty("connectionDeviceId")).isEqualTo("pump-01");
        assertThat(listener.stateSequence()).containsExactly(LinkState.CONNECTING, LinkState.ONLINE);
    }

    @Test
    void start_helloWithoutFailSafe_omitsFailSafeMillis() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        mcu.hello(5, "pump-01");
        Frame ack = mcu.expect(FrameType.HELLO_ACK, WAIT);
        assertThat(Payloads.objectOrNull(ack.payload()).has("failSafeMillis")).isFalse();
    }

    @Test
    void hello_announcingAnotherDeviceId_keepsTheConfiguredId() throws Exception {
        driver = DeviceDrivers.create(config(), env(3));
        driver.start();
        ScriptedMcu mcu = mcus.poll(5, TimeUnit.SECONDS);
        mcu.hello(1, "somebody-else");
        mcu.expect(FrameType.HELLO_ACK, WAIT);
        mcu.send(Frame.of(FrameType.TELEMETRY, 2, "{\"pressure\":80}"));
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() == 1);
        assertThat(listener.ofFrameType("telemetry").get(0).systemProperty("connectionDeviceId")).isEqualTo("pump-01");
    }

    @Test
    void telemetry_frame_becomesOneMessageMappedAsTheSpecSays() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        String body = "{\"ts\":1764115200123,\"pressure\":87.2,\"temp\":61.5,\"rpm\":1450}";
        mcu.send(Frame.of(FrameType.TELEMETRY, 10, body));
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() == 1);
        Message m = listener.ofFrameType("telemetry").get(0);
        assertThat(m.bodyAsString()).isEqualTo(body);
        assertThat(m.systemProperty("contentType")).isEqualTo("application/json");
        assertThat(m.systemProperty("contentEncoding")).isEqualTo("utf-8");
        assertThat(m.systemProperty("connectionDeviceId")).isEqualTo("pump-01");
        assertThat(m.source()).isEqualTo("/messages");
        assertThat(m.properties()).containsOnlyKeys("frameType");
    }

    @Test
    void telemetry_notJson_isDroppedAndCountedAsPayload() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        mcu.send(Frame.of(FrameType.TELEMETRY, 10, "pressure=3"));
        mcu.send(Frame.of(FrameType.TELEMETRY, 11, "{\"pressure\":3}"));
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() == 1);
        assertThat(driver.stats().badFrames("payload")).isEqualTo(1);
    }

    @Test
    void warmUp_beforeStart_opensNoPortAndChangesNothing() {
        driver = DeviceDrivers.create(config(), env(11));
        DriverStats before = driver.stats();
        driver.warmUp();
        assertThat(opened).as("ports opened by the warm-up").isEmpty();
        assertThat(driver.state()).isEqualTo(LinkState.NEW);
        assertThat(driver.stats()).isEqualTo(before);
        assertThat(listener.stateSequence()).isEmpty();
    }

    @Test
    void warmUp_online_sendsNothing_theFirstCommandOnTheLineIsTheRealOne() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        DriverStats before = driver.stats();
        driver.warmUp();
        assertThat(driver.stats()).as("counters after the warm-up").isEqualTo(before);
        CompletableFuture<CommandResult> result = driver.sendCommand("shutdown", Map.of("reason", "pressure 140"));
        // Writes are ordered on the line: a frame the warm-up had written would arrive first.
        Frame command = mcu.expect(FrameType.COMMAND, WAIT);
        assertThat(Payloads.objectOrNull(command.payload()).path("name").asText()).isEqualTo("shutdown");
        mcu.send(Frame.of(FrameType.ACK, command.seq(), "{\"status\":\"ok\"}"));
        assertThat(result.get(5, TimeUnit.SECONDS).status()).isEqualTo(CommandResult.Status.OK);
        assertThat(mcu.badFrames()).isEmpty();
    }

    @Test
    void sendCommand_ackOk_completesWithOkAndTheLatency() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        CompletableFuture<CommandResult> result = driver.sendCommand("shutdown", Map.of("reason", "pressure 140"));
        Frame command = mcu.expect(FrameType.COMMAND, WAIT);
        JsonNode payload = Payloads.objectOrNull(command.payload());
        assertThat(payload.path("name").asText()).isEqualTo("shutdown");
        assertThat(payload.path("args").path("reason").asText()).isEqualTo("pressure 140");
        clock.advance(Duration.ofMillis(4));
        mcu.send(Frame.of(FrameType.ACK, command.seq(), "{\"status\":\"ok\"}"));
        CommandResult r = result.get(5, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(CommandResult.Status.OK);
        assertThat(r.latency()).isEqualTo(Duration.ofMillis(4));
    }

    @Test
    void sendCommand_unknownCommandAck_completesWithUnknownCommandAndDetail() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        CompletableFuture<CommandResult> result = driver.sendCommand("dance", null);
        Frame command = mcu.expect(FrameType.COMMAND, WAIT);
        mcu.send(Frame.of(FrameType.ACK, command.seq(), "{\"status\":\"unknown-command\",\"detail\":\"no dance\"}"));
        CommandResult r = result.get(5, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(CommandResult.Status.UNKNOWN_COMMAND);
        assertThat(r.detail()).isEqualTo("no dance");
    }

    @Test
    void sendCommand_firstAckLost_resendsSameSeqAndPayloadAndCompletes() throws Exception {
        ScriptedMcu mcu = startOnline(config().withOption("commandRetryMillis", 1000));
        CompletableFuture<CommandResult> result = driver.sendCommand("shutdown", Map.of());
        Frame first = mcu.expect(FrameType.COMMAND, WAIT);
        Frame second = mcu.expect(FrameType.COMMAND, WAIT);
        assertThat(second).isEqualTo(first);
        mcu.send(Frame.of(FrameType.ACK, second.seq(), "{\"status\":\"ok\"}"));
        assertThat(result.get(5, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(driver.stats().retries()).isEqualTo(1);
    }

    @Test
    void sendCommand_neverAcked_triesThreeTimesThenFailsWithTimeout() throws Exception {
        ScriptedMcu mcu = startOnline(config().withOption("commandRetryMillis", 50));
        CompletableFuture<CommandResult> result = driver.sendCommand("shutdown", Map.of());
        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(DeviceCommandException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeviceCommandException.Reason.TIMEOUT);
                    assertThat(e.deviceId()).isEqualTo("pump-01");
                    assertThat(e.getMessage()).contains("3 tries");
                });
        List<Frame> sent = mcu.collect(FrameType.COMMAND, Duration.ofMillis(100));
        assertThat(sent).hasSize(3).allSatisfy(f -> assertThat(f).isEqualTo(sent.get(0)));
        assertThat(driver.stats().retries()).isEqualTo(2);
    }

    @Test
    void sendCommand_beforeOnline_failsOfflineWithoutSending() {
        driver = DeviceDrivers.create(config(), env(5));
        driver.start();
        CompletableFuture<CommandResult> result = driver.sendCommand("shutdown", Map.of());
        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(DeviceCommandException.class,
                e -> assertThat(e.reason()).isEqualTo(DeviceCommandException.Reason.OFFLINE));
    }

    @Test
    void close_whileCommandWaits_failsItWithClosed() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        CompletableFuture<CommandResult> result = driver.sendCommand("shutdown", Map.of());
        mcu.expect(FrameType.COMMAND, WAIT);
        driver.close();
        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(DeviceCommandException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeviceCommandException.Reason.CLOSED));
        assertThat(driver.state()).isEqualTo(LinkState.CLOSED);
        assertThatThrownBy(() -> driver.sendCommand("shutdown", Map.of()).join()).cause()
                .isInstanceOfSatisfying(DeviceCommandException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeviceCommandException.Reason.CLOSED));
    }

    @Test
    void sendCommand_blankName_isRejected() throws Exception {
        startOnline(config());
        assertThatThrownBy(() -> driver.sendCommand(" ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pump-01");
    }

    @Test
    void event_sentTwiceWithSameSeqAndPayload_isDeliveredOnceAndAckedTwice() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        Frame event = Frame.of(FrameType.EVENT, 300, "{\"name\":\"limit-switch\"}");
        mcu.send(event);
        assertThat(mcu.expect(FrameType.ACK, WAIT).seq()).isEqualTo(300);
        mcu.send(event);
        Frame secondAck = mcu.expect(FrameType.ACK, WAIT);
        assertThat(secondAck.seq()).isEqualTo(300);
        assertThat(Payloads.objectOrNull(secondAck.payload()).path("status").asText()).isEqualTo("ok");
        assertThat(listener.ofFrameType("event")).hasSize(1);
        assertThat(listener.ofFrameType("event").get(0).bodyAsString()).isEqualTo("{\"name\":\"limit-switch\"}");
        assertThat(driver.stats().duplicateEvents()).isEqualTo(1);
    }

    @Test
    void event_sameSeqDifferentPayload_isDeliveredAgain() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        mcu.send(Frame.of(FrameType.EVENT, 300, "{\"name\":\"a\"}"));
        mcu.expect(FrameType.ACK, WAIT);
        mcu.send(Frame.of(FrameType.EVENT, 300, "{\"name\":\"b\"}"));
        mcu.expect(FrameType.ACK, WAIT);
        assertThat(listener.ofFrameType("event")).hasSize(2);
    }

    @Test
    void event_forgottenAfterSixteenNewerOnes_isDeliveredAgain() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        Frame first = Frame.of(FrameType.EVENT, 0, "{\"name\":\"e\"}");
        mcu.send(first);
        for (int i = 1; i <= 16; i++) {
            mcu.send(Frame.of(FrameType.EVENT, i, "{\"name\":\"e\"}"));
        }
        mcu.send(first);
        await().atMost(WAIT).until(() -> listener.ofFrameType("event").size() == 18);
    }

    @Test
    void ping_fromMcu_isAnsweredWithPongSameSeq() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        mcu.send(Frame.empty(FrameType.PING, 4242));
        assertThat(mcu.expect(FrameType.PONG, WAIT).seq()).isEqualTo(4242);
    }

    @Test
    void tick_lineQuietForOneSecond_sendsPing() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        clock.advance(Duration.ofMillis(1000));
        Frame ping = mcu.expect(FrameType.PING, WAIT);
        mcu.send(Frame.empty(FrameType.PONG, ping.seq()));
        assertThat(driver.state()).isEqualTo(LinkState.ONLINE);
    }

    @Test
    void tick_silentForThreeSeconds_goesOfflineThenReopensAndComesBackOnPong() throws Exception {
        ScriptedMcu first = startOnline(config());
        clock.advance(Duration.ofMillis(3000));
        await().atMost(WAIT).until(() -> driver.state() != LinkState.ONLINE);
        await().atMost(WAIT).until(() -> listener.ofFrameType("lifecycle").size() == 2);
        Message offline = listener.ofFrameType("lifecycle").get(1);
        assertThat(Payloads.objectOrNull(offline.body()).path("state").asText()).isEqualTo("offline");
        assertThat(Payloads.objectOrNull(offline.body()).path("reason").asText()).contains("no frame for 3000 ms");
        ScriptedMcu second = mcus.poll(5, TimeUnit.SECONDS);
        assertThat(second).as("port reopened").isNotNull().isNotSameAs(first);
        Frame ping = second.expect(FrameType.PING, WAIT);
        second.send(Frame.empty(FrameType.PONG, ping.seq()));
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        assertThat(driver.stats().reconnects()).isEqualTo(1);
        assertThat(listener.stateSequence()).containsExactly(LinkState.CONNECTING, LinkState.ONLINE,
                LinkState.OFFLINE, LinkState.CONNECTING, LinkState.ONLINE);
        assertThat(listener.overlapped).isFalse();
    }

    @Test
    void readLoop_farEndCloses_goesOfflineAndReopens() throws Exception {
        ScriptedMcu first = startOnline(config());
        first.close();
        await().atMost(WAIT).until(() -> driver.state() == LinkState.OFFLINE || mcus.size() > 0);
        ScriptedMcu second = mcus.poll(5, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        second.hello(9, "pump-01");
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        assertThat(listener.stateSequence()).contains(LinkState.OFFLINE);
    }

    @Test
    void start_portMissing_staysOfflineAndRetriesWithBackoff() throws Exception {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        driver = DeviceDrivers.create(config(), new DeviceEnvironment("gw", clock, scheduler, listener, (p, b) -> {
            attempts.incrementAndGet();
            throw new IOException("serial port " + p + " does not exist");
        }));
        driver.start();
        await().atMost(WAIT).until(() -> attempts.get() >= 3);
        assertThat(driver.state()).isEqualTo(LinkState.OFFLINE);
        assertThat(listener.states.get(1).reason()).contains("does not exist");
    }

    @Test
    void seq_initialValue_isDrawnFromTheInjectedRandomPerOpen() throws Exception {
        driver = DeviceDrivers.create(config(), env(99));
        driver.start();
        int firstPing = mcus.poll(5, TimeUnit.SECONDS).expect(FrameType.PING, WAIT).seq();
        driver.close();
        driver = DeviceDrivers.create(config(), env(99));
        driver.start();
        int again = mcus.poll(5, TimeUnit.SECONDS).expect(FrameType.PING, WAIT).seq();
        assertThat(again).isEqualTo(firstPing).isEqualTo(new Random(99).nextInt(0x10000));
    }

    @Test
    void create_unknownAndInvalidOptions_namesThemAll() {
        DeviceConfig bad = config().withOption("comandTries", 3).withOption("commandRetryMillis", -5);
        assertThatThrownBy(() -> DeviceDrivers.create(bad, env(1)))
                .isInstanceOf(DeviceDriverException.class)
                .hasMessageContaining("pump-01")
                .hasMessageContaining("unknown option 'comandTries'")
                .hasMessageContaining("'commandRetryMillis' must be positive, was: -5");
    }

    @Test
    void create_unknownDriver_listsKnownDrivers() {
        DeviceConfig modbus = DeviceConfig.of("pump-02", "modbus-rtu", "/dev/ttyS0", 9600);
        assertThatThrownBy(() -> DeviceDrivers.create(modbus, env(1)))
                .isInstanceOf(DeviceDriverException.class)
                .hasMessageContaining("modbus-rtu")
                .hasMessageContaining("sphere-link");
    }

    @Test
    void frames_fromTheWrongSide_areDroppedAndCountedAsUnexpected() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        mcu.send(Frame.of(FrameType.COMMAND, 1, "{\"name\":\"x\"}"));
        mcu.send(Frame.empty(FrameType.PING, 2));
        mcu.expect(FrameType.PONG, WAIT);
        assertThat(driver.stats().badFrames("unexpected")).isEqualTo(1);
    }

    @Test
    void tick_mcuStreamingWhileGatewayHasNothingToSay_sendsKeepAlivePing() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        clock.advance(Duration.ofMillis(600));
        mcu.send(Frame.of(FrameType.TELEMETRY, 1, "{\"pressure\":80}"));
        await().atMost(WAIT).until(() -> listener.ofFrameType("telemetry").size() == 1);
        clock.advance(Duration.ofMillis(600));
        mcu.expect(FrameType.PING, WAIT);
        assertThat(driver.state()).isEqualTo(LinkState.ONLINE);
    }

    @Test
    void create_failSafeNotAbovePingPeriod_isRejectedWithBothNumbers() {
        DeviceConfig bad = config().withFailSafe(Duration.ofMillis(800));
        assertThatThrownBy(() -> DeviceDrivers.create(bad, env(1)))
                .isInstanceOf(DeviceDriverException.class)
                .hasMessageContaining("failSafe (800 ms)")
                .hasMessageContaining("pingAfterQuietMillis (1000)");
    }

    @Test
    void event_listenerRefusesIt_isAnsweredErrorAndNotRedeliveredOnResend() throws Exception {
        ScriptedMcu mcu = startOnline(config());
        listener.refuseEvents = true;
        Frame event = Frame.of(FrameType.EVENT, 77, "{\"name\":\"trip\"}");
        mcu.send(event);
        JsonNode ack = Payloads.objectOrNull(mcu.expect(FrameType.ACK, WAIT).payload());
        assertThat(ack.path("status").asText()).isEqualTo("error");
        assertThat(ack.path("detail").asText()).contains("event queue full");
        mcu.send(event);
        assertThat(Payloads.objectOrNull(mcu.expect(FrameType.ACK, WAIT).payload()).path("status").asText()).isEqualTo("error");
        assertThat(driver.stats().duplicateEvents()).isEqualTo(1);
        assertThat(driver.state()).isEqualTo(LinkState.ONLINE);
    }

    @Test
    void sendCommand_manyInFlightAckedInReverseOrder_eachCompletesWithItsOwnAck() throws Exception {
        ScriptedMcu mcu = startOnline(config().withOption("commandRetryMillis", 5000));
        List<CompletableFuture<CommandResult>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(driver.sendCommand("set", Map.of("i", i)));
        }
        List<Frame> commands = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            commands.add(mcu.expect(FrameType.COMMAND, WAIT));
        }
        for (int i = 19; i >= 0; i--) {
            Frame c = commands.get(i);
            int arg = Payloads.objectOrNull(c.payload()).path("args").path("i").asInt();
            mcu.send(Frame.of(FrameType.ACK, c.seq(), "{\"status\":\"ok\",\"detail\":\"" + arg + "\"}"));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(results.get(i).get(5, TimeUnit.SECONDS).detail()).isEqualTo(String.valueOf(i));
        }
        assertThat(commands).extracting(Frame::seq).doesNotHaveDuplicates();
    }

    @Test
    void seq_startingAt65535_wrapsToZero() throws Exception {
        Random last = new Random() {
            @Override
            public int nextInt(int bound) {
                return bound - 1;
            }
        };
        driver = DeviceDrivers.create(config(), new DeviceEnvironment("gw", clock, scheduler, listener, (p, b) -> {
            InMemoryTransport.Pair pair = InMemoryTransport.pair(p);
            ScriptedMcu mcu = new ScriptedMcu(pair.deviceEnd());
            opened.add(mcu);
            mcus.add(mcu);
            return pair.gatewayEnd();
        }, last));
        driver.start();
        ScriptedMcu mcu = mcus.poll(5, TimeUnit.SECONDS);
        assertThat(mcu.expect(FrameType.PING, WAIT).seq()).isEqualTo(65535);
        mcu.hello(1, "pump-01");
        await().atMost(WAIT).until(() -> driver.state() == LinkState.ONLINE);
        driver.sendCommand("shutdown", Map.of());
        assertThat(mcu.expect(FrameType.COMMAND, WAIT).seq()).isZero();
    }

    @Test
    void start_twice_isRejectedNamingTheState() throws Exception {
        startOnline(config());
        assertThatThrownBy(driver::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("ONLINE");
        driver.close();
        driver.close();
        assertThat(driver.state()).isEqualTo(LinkState.CLOSED);
    }

    @Test
    void telemetry_listenerThrows_nextTelemetryStillArrives() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Message> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
        driver = DeviceDrivers.create(config(), new DeviceEnvironment("gw", clock, scheduler, new io.edgefn.devices.DeviceListener() {
            @Override
            public void onMessage(Message message) {
                if ("telemetry".equals(message.property("frameType")) && calls.getAndIncrement() == 0) {
                    throw new IllegalStateException("boom");
                }
                taken.add(message);
            }

            @Override
            public void onStateChange(String deviceId, LinkState state, String reason) {
            }
        }, (p, b) -> {
            InMemoryTransport.Pair pair = InMemoryTransport.pair(p);
            ScriptedMcu mcu = new ScriptedMcu(pair.deviceEnd());
            opened.add(mcu);
            mcus.add(mcu);
            return pair.gatewayEnd();
        }));
        driver.start();
        ScriptedMcu mcu = mcus.poll(5, TimeUnit.SECONDS);
        mcu.hello(1, "pump-01");
        mcu.send(Frame.of(FrameType.TELEMETRY, 2, "{\"n\":1}"));
        mcu.send(Frame.of(FrameType.TELEMETRY, 3, "{\"n\":2}"));
        await().atMost(WAIT).until(() -> taken.stream().anyMatch(m -> m.bodyAsString().equals("{\"n\":2}")));
        assertThat(driver.state()).isEqualTo(LinkState.ONLINE);
    }
}
