package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.devices.ByteTransport;
import io.edgefn.devices.TransportFactory;
import io.edgefn.devices.spherelink.Frame;
import io.edgefn.devices.spherelink.FrameCodec;
import io.edgefn.devices.spherelink.FrameType;
import io.edgefn.devices.sim.PtyPair;
import io.edgefn.devices.sim.PumpSimulator;
import io.edgefn.app.cli.EdgefnCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgefn serial watch} decodes the frames an MCU sends on a real pty. */
class SerialCommandIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final StdoutCapture out = StdoutCapture.stdoutPerTest();

    @Test
    void watch_printsDecodedFramesUntilTheLineCloses() throws Exception {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger status = new AtomicInteger(-1);
        try (PtyPair pty = PtyPair.open(dir.resolve("tty"))) {
            Thread watcher = Thread.ofPlatform().start(() ->
                    status.set(EdgefnCommand.execute("serial", "watch", "--answer", pty.gatewayEnd().toString())));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.out().contains("watching"));
            try (PumpSimulator mcu = PumpSimulator.builder(TransportFactory.serial().open(pty.deviceEnd().toString(), 115_200))
                    .deviceId("pump-07").telemetryHz(50).scheduler(timers).build()) {
                mcu.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    String printed = out.out();
                    return printed.contains("HELLO seq=") && printed.contains("pump-07")
                            && printed.contains("-> ") && printed.contains("HELLO_ACK") && printed.contains("TELEMETRY seq=");
                });
            }
            pty.close();
            watcher.join(Duration.ofSeconds(15));
            assertThat(watcher.isAlive()).as("watch ends when the line closes").isFalse();
        } finally {
            timers.shutdownNow();
        }
        assertThat(status.get()).isZero();
        assertThat(out.out()).containsPattern("\\d+ frames, \\d+ bad");
    }

    @Test
    void watch_payloadWithTerminalEscapes_printsThemEscaped() throws Exception {
        AtomicInteger status = new AtomicInteger(-1);
        try (PtyPair pty = PtyPair.open(dir.resolve("tty"))) {
            Thread watcher = Thread.ofPlatform().start(() ->
                    status.set(EdgefnCommand.execute("serial", "watch", pty.gatewayEnd().toString())));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.out().contains("watching"));
            try (ByteTransport mcu = TransportFactory.serial().open(pty.deviceEnd().toString(), 115_200)) {
                mcu.write(FrameCodec.encode(Frame.of(FrameType.TELEMETRY, 3, "{\"s\":\"\u001b[2J\u001b]0;pwned\u0007\"}")));
                await().atMost(Duration.ofSeconds(10)).until(() -> out.out().contains("TELEMETRY seq=3"));
            }
            pty.close();
            watcher.join(Duration.ofSeconds(15));
        }
        assertThat(status.get()).isZero();
        assertThat(out.out()).contains("TELEMETRY seq=3 len=22 {\"s\":\"\\u001b[2J\\u001b]0;pwned\\u0007\"}")
                .doesNotContain("\u001b", "\u0007");
    }

    @Test
    void scan_exitsZero() {
        assertThat(EdgefnCommand.execute("serial", "scan")).isZero();
    }
}
