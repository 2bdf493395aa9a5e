package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.CommandResult;
import io.edgefn.api.Message;
import io.edgefn.deploy.Deployment;
import io.edgefn.devices.InMemoryTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @WarmUp} in a real host: at activation the method's binders take the synthetic message
 * (a body that does not bind is reported, so binding really ran), and nothing else happens — the
 * method is not called, no command is sent, nothing is routed or held for upstream, no counter
 * moves.
 */
class WarmUpIT {

    private static final String GUARD = """
            package t;
            import io.edgefn.api.*;
            import java.util.Map;
            @EdgeFunction(value = "guard", retries = 0)
            public class Guard {
                public record Alarm(String deviceId, double level) { }
                @RouteTrigger(input = "alarms")
                @SendTo("outcomes")
                @WarmUp(body = "{\\"deviceId\\": \\"warm-up\\", \\"level\\": 0}", properties = "severity=high")
                public String onAlarm(Alarm alarm, @Property("severity") String severity, DeviceCommands devices) throws Exception {
                    devices.send(alarm.deviceId(), "shutdown", Map.of("reason", "alarm")).toCompletableFuture().get();
                    return "stopped " + alarm.deviceId();
                }
                @RouteTrigger(input = "broken")
                @WarmUp(body = "{\\"level\\": \\"not a number\\"}")
                public void onBroken(Alarm alarm) { }
            }
            """;

    @TempDir
    static Path packages;
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildThePackageOnce() {
        jar = TestPackages.build(packages, "guard", Map.of("t.Guard", GUARD));
    }

    /** What the host told its listener. */
    static final class Recorder implements HostListener {
        final List<String> warmedUp = new CopyOnWriteArrayList<>();
        final List<String> sideEffects = new CopyOnWriteArrayList<>();

        @Override
        public void warmUpFinished(String function, String method, Throwable failure) {
            warmedUp.add(function + "." + method + (failure == null ? " bound" : " failed: " + failure.getMessage()));
        }

        @Override
        public void messageRouted(Message message, int deliveries) {
            sideEffects.add("routed " + message.source());
        }

        @Override
        public void invocationFinished(String function, String invocationId, long durationNanos, Throwable failure) {
            sideEffects.add("invoked " + invocationId);
        }

        @Override
        public void commandSent(String deviceId, String name, Object args) {
            sideEffects.add("command " + name + " to " + deviceId);
        }

        @Override
        public void commandCompleted(String deviceId, String name, CommandResult result, Throwable failure) {
            sideEffects.add("command completed " + name);
        }
    }

    @Test
    void activation_bindsTheWarmUpMessages_andDoesNothingElse() throws Exception {
        String json = """
                {"packages": {"guard": {"file": "%s"}},
                 "devices": {"pump-01": {"driver": "sphere-link", "port": "mem-pump", "baud": 115200}},
                 "routes": {"alarms": "FROM /messages/* WHERE kind = 'alarm' INTO BrokeredEndpoint(\\"/modules/guard/inputs/alarms\\")",
                            "broken": "FROM /messages/* WHERE kind = 'broken' INTO BrokeredEndpoint(\\"/modules/guard/inputs/broken\\")",
                            "up": "FROM /messages/modules/guard/outputs/* INTO $upstream"}}
                """.formatted(jar);
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "test deployment", dir);
        Recorder recorder = new Recorder();
        // The device's line exists but no MCU answers on it: nothing the warm-up did could be acknowledged.
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).listener(recorder)
                .transports((port, baud) -> InMemoryTransport.pair(port).gatewayEnd()).build().start()) {

            assertThat(recorder.warmedUp).as("warm-ups at activation").hasSize(2);
            assertThat(recorder.warmedUp).contains("guard.onAlarm bound");
            assertThat(recorder.warmedUp).filteredOn(s -> s.startsWith("guard.onBroken")).singleElement()
                    .satisfies(s -> assertThat(s).contains("failed").contains("not a number"));

            assertThat(recorder.sideEffects).as("anything the warm-up must not do").isEmpty();
            HostStats stats = host.stats();
            FunctionStats guard = stats.functions().get("guard");
            assertThat(guard.invocations()).isZero();
            assertThat(guard.failures()).isZero();
            assertThat(stats.messagesByRoute().values()).allMatch(n -> n == 0L);
            assertThat(stats.upstreamHeld()).isZero();
        }
    }
}
