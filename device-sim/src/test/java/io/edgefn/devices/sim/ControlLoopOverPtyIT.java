package io.edgefn.devices.sim;

import io.edgefn.devices.spherelink.Payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.DeviceDriver;
import io.edgefn.devices.DeviceDrivers;
import io.edgefn.devices.DeviceEnvironment;
import io.edgefn.devices.DeviceListener;
import io.edgefn.devices.LinkState;
import io.edgefn.devices.TransportFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's share of the control loop, through a real pty: the simulator streams telemetry
 * at 1 kHz and injects one reading beyond the hard limit; the listener commands shutdown at once;
 * the simulator times from writing the reading to reading the COMMAND, then is restarted.
 */
class ControlLoopOverPtyIT {
    private static final int TRIALS = 1000;
    private static final double HARD_LIMIT = 200.0;

    @TempDir
    Path dir;

    @Test
    void anomalousReading_shutdownCommandReachesThePumpWithinMilliseconds() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        AtomicReference<DeviceDriver> driverRef = new AtomicReference<>();
        AtomicBoolean armed = new AtomicBoolean();
        Semaphore restarted = new Semaphore(0);
        DeviceListener detector = new DeviceListener() {
            @Override
            public void onMessage(Message m) {
                String type = m.property("frameType");
                if ("telemetry".equals(type) && Payloads.objectOrNull(m.body()).path("pressure").asDouble() > HARD_LIMIT
                        && armed.compareAndSet(true, false)) {
                    driverRef.get().sendCommand("shutdown", Map.of("reason", "pressure over the hard limit"));
                } else if ("event".equals(type) && m.bodyAsString().contains("pump-restarted")) {
                    restarted.release();
                }
            }

            @Override
            public void onStateChange(String deviceId, LinkState state, String reason) {
            }
        };
        LinkedBlockingQueue<PumpSimulator.CommandRead> reads = new LinkedBlockingQueue<>();
        try (PtyPair pty = PtyPair.open(dir);
             PumpSimulator sim = PumpSimulator.builder(TransportFactory.serial().open(pty.deviceEnd().toString(), 115200))
                     .telemetryHz(1000).seed(3)
                     .onCommandRead(c -> {
                         if ("shutdown".equals(c.name())) {
                             reads.offer(c);
                         }
                     })
                     .build()) {
            sim.start();
            DeviceDriver driver = DeviceDrivers.create(DeviceConfig.of("pump-01", "sphere-link", pty.gatewayEnd().toString(), 921600),
                    new DeviceEnvironment("gw", InstantSource.system(), scheduler, detector, TransportFactory.serial()));
            driverRef.set(driver);
            driver.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> driver.state() == LinkState.ONLINE && sim.hasSession());
            long[] micros = new long[TRIALS];
            int missed = 0;
            for (int i = 0; i < TRIALS; i++) {
                reads.clear();
                armed.set(true);
                long wroteAt = sim.injectReading(250.0);
                PumpSimulator.CommandRead read = reads.poll(1, TimeUnit.SECONDS);
                if (read == null) {
                    missed++;
                    micros[i] = Long.MAX_VALUE;
                } else {
                    micros[i] = (read.nanoTime() - wroteAt) / 1000;
                }
                assertThat(driver.sendCommand("restart", Map.of()).get(5, TimeUnit.SECONDS).ok()).isTrue();
                assertThat(restarted.tryAcquire(5, TimeUnit.SECONDS)).as("pump-restarted after trial %d", i).isTrue();
            }
            driver.close();
            Arrays.sort(micros);
            System.out.printf("control loop over pty, %d trials: p50 %.3f ms, p99 %.3f ms, max %.3f ms, missed %d%n",
                    TRIALS, micros[TRIALS / 2] / 1000.0, micros[(int) (TRIALS * 0.99)] / 1000.0,
                    micros[TRIALS - 1 - missed] / 1000.0, missed);
            assertThat(missed).isZero();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
