package io.edgefn.devices.sim;

import io.edgefn.devices.spherelink.Payloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.devices.ByteTransport;
import io.edgefn.devices.spherelink.FrameType;
import io.edgefn.devices.spherelink.ScriptedMcu;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rig's in-memory line, as the demo falls back to when socat is missing. */
class PumpRigTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void start_withoutPty_putsTheSimulatorOnAnInMemoryLineTheHostOpensByPort() throws Exception {
        try (PumpRig rig = PumpRig.start(dir.resolve("tty"), "pump-07", b -> b.telemetryHz(50), false)) {
            assertThat(rig.overPty()).isFalse();
            assertThat(rig.port()).isEqualTo("in-memory:pump-07");
            assertThat(rig.link()).startsWith("in-memory line");
            ByteTransport gatewayEnd = rig.transports().open(rig.port(), 115_200);
            try (ScriptedMcu gateway = new ScriptedMcu(gatewayEnd)) {
                assertThat(Payloads.objectOrNull(gateway.expect(FrameType.HELLO, WAIT).payload()).path("deviceId").asText())
                        .isEqualTo("pump-07");
            }
        }
    }

    @Test
    void close_closesTheSimulatorsEndOfTheLine() throws Exception {
        PumpRig rig = PumpRig.start(dir.resolve("tty"), "pump-01", b -> b, false);
        ByteTransport gatewayEnd = rig.transports().open(rig.port(), 115_200);

        rig.close();

        assertThatThrownBy(() -> gatewayEnd.write(new byte[] {0}))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");
    }
}
