package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.CommandResult;
import io.edgefn.api.Message;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.InMemoryTransport;
import io.edgefn.devices.LinkState;
import io.edgefn.devices.sim.PumpSimulator;
import io.edgefn.routes.CompiledRoute;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.RestartPolicy;
import io.edgefn.runtime.RetryPolicy;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The device hub over an in-memory serial line with a simulated pump MCU at the far end: the
 * reader thread that carries the safety path is never held by an ordinary function, and command
 * results never complete on it.
 */
@Timeout(60) // a hang guard
class DeviceHubTest {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    /** Completions handed to the hub's completion executor, held until the test runs them. */
    private final ConcurrentLinkedQueue<Runnable> heldCompletions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger routed = new AtomicInteger();
    private final HostListener listener = new HostListener() {
        @Override
        public void messageRouted(Message message, int deliveries) {
            routed.incrementAndGet();
        }
    };
    private final Ingress ingress = new Ingress(InstantSource.system(), listener);
    private final AtomicReference<PumpSimulator> simulator = new AtomicReference<>();
    private DeviceHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        PumpSimulator s = simulator.get();
        if (s != null) {
            s.close();
        }
        scheduler.shutdownNow();
    }

    /** A hub with one pump whose telemetry goes (by the route {@code /messages/*}) to {@code analytics}' queue. */
    private DeviceHub hub(FunctionRuntime analytics) {
        Graphs routes = new Graphs(Set.of("analytics"),
                "readings", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/analytics/inputs/in\")");
        ingress.swap(RouteGraph.bind(routes.graph.table(),
                (CompiledRoute r) -> new FunctionInputSink(analytics, "in", r.sink().address(), Duration.ofHours(1)),
                Set.of("analytics")));
        DeviceHub created = new DeviceHub(List.of(new DeviceConfig("pump-01", "sphere-link", "line", 115200, null, Map.of())),
                "gw", InstantSource.system(), scheduler,
                InMemoryTransport.factory(deviceEnd -> {
                    PumpSimulator sim = PumpSimulator.builder(deviceEnd).deviceId("pump-01").telemetryHz(200).seed(3).build();
                    simulator.set(sim);
                    sim.start();
                }),
                ingress, heldCompletions::add, listener);
        created.start();
        await().until(() -> created.states().get("pump-01") == LinkState.ONLINE);
        return created;
    }

    /** An ordinary function that is never started: nothing drains its one-message queue. */
    private FunctionRuntime stalledOrdinaryFunction() {
        HostServices host = new HostServices("gw", InstantSource.system(), scheduler, Executors.newVirtualThreadPerTaskExecutor(),
                Executors.newVirtualThreadPerTaskExecutor(), new BodyCodec(), null, ingress, listener, RestartPolicy.DEFAULT,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        return new FunctionRuntime(new FunctionSpec("analytics", 1, 1_000, RetryPolicy.NONE, 1, null, false),
                Object::new, Map.of("in", new BoundMethod("on", null, null, null, "in")), host);
    }

    @Test
    void theReaderThread_neverWaitsOnAnOrdinaryFunctionsFullQueue_andCommandsStillGetTheirAck() {
        hub = hub(stalledOrdinaryFunction());

        // At 200 Hz the one-slot queue is full at once; a reader that waited there would read nothing more.
        int seen = routed.get();
        await().until(() -> routed.get() > seen + 50);
        CompletionStage<CommandResult> shutdown = hub.send("pump-01", "shutdown", Map.of("reason", "test"));
        await().until(() -> !heldCompletions.isEmpty()); // the MCU's ACK was read
        heldCompletions.poll().run();

        assertThat(shutdown.toCompletableFuture().join().ok()).isTrue();
        assertThat(simulator.get().commandsActedOn()).isEqualTo(1);
    }

    @Test
    void aCommandsResult_completesOnTheCompletionExecutor_neverOnTheSerialReader() throws Exception {
        hub = hub(stalledOrdinaryFunction());
        AtomicReference<String> ranOn = new AtomicReference<>();

        CompletableFuture<CommandResult> result = hub.send("pump-01", "shutdown", Map.of()).toCompletableFuture();
        CompletableFuture<CommandResult> chained = result.thenApply(r -> {
            ranOn.set(Thread.currentThread().getName());
            return r;
        });
        await().until(() -> !heldCompletions.isEmpty());

        assertThat(result).as("decided on the reader, but not completed there").isNotDone();
        Thread completions = Thread.ofPlatform().name("edgefn-safety-test").start(heldCompletions.poll());
        completions.join();
        assertThat(chained.get().ok()).isTrue();
        assertThat(ranOn.get()).isEqualTo("edgefn-safety-test");
    }

    @Test
    void aCommandToAnUnknownDevice_failsAtOnce_namingTheDevicesThereAre() {
        hub = hub(stalledOrdinaryFunction());

        CompletableFuture<CommandResult> result = hub.send("pump-99", "shutdown", Map.of()).toCompletableFuture();

        assertThat(result).isCompletedExceptionally();
        assertThat(result.exceptionNow()).hasMessageContaining("pump-99").hasMessageContaining("pump-01");
    }
}
