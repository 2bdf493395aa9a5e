package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.devices.TransportFactory;
import io.edgefn.devices.sim.PtyPair;
import io.edgefn.devices.sim.PumpSimulator;
import io.edgefn.app.cli.EdgefnCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgefn demo} end to end through real ptys: its own simulator, and an external MCU on {@code --port}. */
class DemoIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final StdoutCapture out = StdoutCapture.stdoutPerTest();

    private JsonNode lastJsonLine() throws Exception {
        return new ObjectMapper().readTree(out.lastLine());
    }

    @Test
    void demo_json_reportsAnAcknowledgedShutdown() throws Exception {
        assertThat(PtyPair.available()).as("socat is installed by scripts/test").isTrue();
        int status = EdgefnCommand.execute("demo", "--duration", "9", "--json", "--data-dir", dir.toString());
        assertThat(status).isZero();
        String story = out.out();
        assertThat(story).contains("pty pair via socat").contains("ANOMALY").contains("STOPPED").contains("Summary");
        JsonNode summary = lastJsonLine();
        assertThat(summary.path("readings").asLong()).isGreaterThan(100);
        assertThat(summary.path("anomalies").asLong()).isEqualTo(1);
        assertThat(summary.path("shutdownCommanded").asBoolean()).isTrue();
        assertThat(summary.path("shutdownAcknowledged").asBoolean()).isTrue();
        assertThat(summary.path("anomalyToShutdownMillis").isIntegralNumber()).isTrue();
        assertThat(summary.path("upstreamHeld").asLong()).isPositive();
        assertThat(summary.path("runtimes").path("anomaly-detector").asText()).isEqualTo("java");

        // The demo keeps its host's data in DIR/host; status given DIR finds it.
        out.close();
        StdoutCapture statusOut = StdoutCapture.stdout();
        try {
            assertThat(EdgefnCommand.execute("status", "--data-dir", dir.toString(), "--json")).isZero();
        } finally {
            statusOut.close();
        }
        JsonNode buffer = new ObjectMapper().readTree(statusOut.lastLine());
        assertThat(buffer.path("cursors").get(0).path("name").asText()).isEqualTo("$upstream");
        // The summary is taken before the host drains: what the functions finish while it stops is appended after it.
        assertThat(buffer.path("cursors").get(0).path("depth").asLong()).isGreaterThanOrEqualTo(summary.path("upstreamHeld").asLong());
    }

    @Test
    void demo_port_drivesAnExternalMcu() throws Exception {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try (PtyPair pty = PtyPair.open(dir.resolve("tty"));
             PumpSimulator mcu = PumpSimulator.builder(TransportFactory.serial().open(pty.deviceEnd().toString(), 115_200))
                     .deviceId("pump-01").telemetryHz(20).developingFaultAfter(Duration.ofSeconds(3))
                     .scheduler(timers).build()) {
            mcu.start();
            int status = EdgefnCommand.execute("demo", "--duration", "8", "--json", "--port", pty.gatewayEnd().toString(),
                    "--data-dir", dir.resolve("demo").toString());
            assertThat(status).isZero();
            assertThat(out.out()).contains("external MCU");
            assertThat(lastJsonLine().path("shutdownAcknowledged").asBoolean()).isTrue();
            assertThat(mcu.isRunning()).as("the external MCU really stopped its pump").isFalse();
        } finally {
            timers.shutdownNow();
        }
    }
}
