package io.edgefn.app;

import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.HostStats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.deploy.Deployment;
import io.edgefn.devices.InMemoryTransport;
import io.edgefn.devices.sim.PumpSimulator;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flagship scenario in-process: the example package (the same jar the demo runs) loaded into
 * a host, a pump MCU simulator on a Sphere link, a fault that develops after a few seconds.
 */
class PumpScenarioIT {

    private static final Duration FAULT_AFTER = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final ScheduledExecutorService mcuTimers = Executors.newSingleThreadScheduledExecutor();
    private EdgeHost host;
    private PumpSimulator pump;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (pump != null) {
            pump.close();
        }
        mcuTimers.shutdownNow();
    }

    @Test
    void developingFault_stopsThePumpOnceAfterTheFaultStarts_andInsightsReachTheBuffer() throws Exception {
        Path jar = dir.resolve("packages/pump-functions.jar");
        Files.createDirectories(jar.getParent());
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            assertThat(in).as("the runtime embeds the example package").isNotNull();
            Files.copy(in, jar);
        }
        String json;
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/deployment.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${PORT}", "in-memory:pump-01");
        }
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "demo deployment", dir);

        InMemoryTransport.Pair line = InMemoryTransport.pair("pump-01");
        AtomicInteger shutdownsCommanded = new AtomicInteger();
        AtomicLong firstAnomalyNanos = new AtomicLong();
        AtomicLong readings = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        HostListener listener = new HostListener() {
            @Override
            public void messageRouted(Message message, int deliveries) {
                if ("telemetry".equals(message.property("frameType"))) {
                    readings.incrementAndGet();
                } else if (message.source().endsWith("anomaly-detector/outputs/anomalies")) {
                    firstAnomalyNanos.compareAndSet(0, System.nanoTime());
                } else if (message.source().endsWith("pump-shutdown/outputs/outcomes")
                        && message.bodyAsString().contains("\"acknowledged\":true")) {
                    acknowledged.incrementAndGet();
                }
            }

            @Override
            public void commandSent(String deviceId, String name, Object args) {
                if ("shutdown".equals(name)) {
                    shutdownsCommanded.incrementAndGet();
                }
            }
        };
        host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("host"))
                .listener(listener).transports((port, baud) -> line.gatewayEnd()).build().start();
        assertThat(host.stats().functions().get("pump-shutdown").safetyCritical()).isTrue();
        assertThat(host.stats().functions().get("pump-analytics").safetyCritical())
                .as("analytics feeds the detector, which feeds the shutdown").isTrue();

        pump = PumpSimulator.builder(line.deviceEnd()).deviceId("pump-01").telemetryHz(50)
                .developingFaultAfter(FAULT_AFTER).faultRisePerSecond(8).scheduler(mcuTimers).seed(7).build();
        long faultStarts = System.nanoTime() + FAULT_AFTER.toNanos();
        pump.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() == 1);
        assertThat(firstAnomalyNanos.get()).as("no anomaly before the fault starts").isGreaterThan(faultStarts);
        assertThat(pump.isRunning()).isFalse();

        long seen = readings.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> readings.get() >= seen + 25);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HostStats stats = host.stats();
            Map<String, Long> routed = stats.messagesByRoute();
            assertThat(routed.get("anomaliesUp")).isEqualTo(1);
            assertThat(routed.get("outcomesUp")).isEqualTo(1);
            assertThat(routed.get("sampledAggregatesUp")).isPositive();
            assertThat(stats.upstreamHeld())
                    .as("insights, not raw readings, are held for upstream")
                    .isEqualTo(routed.get("anomaliesUp") + routed.get("outcomesUp") + routed.get("sampledAggregatesUp"))
                    .isLessThan(readings.get());
        });
        host.close();
        assertThat(shutdownsCommanded.get()).as("exactly one shutdown").isEqualTo(1);
        assertThat(acknowledged.get()).isEqualTo(1);
    }
}
