package io.edgefn.devices.sim;

import io.edgefn.devices.spherelink.Payloads;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.devices.spherelink.Frame;
import io.edgefn.devices.spherelink.FrameType;
import io.edgefn.devices.spherelink.ScriptedMcu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rig over a real socat pty pair, as the demo and the loop benchmark run it. */
class PumpRigIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void start_withSocat_putsTheSimulatorOnThePtysDeviceEndAndTheHostOpensTheOther() throws Exception {
        assertThat(PtyPair.available()).as("socat is installed by scripts/test").isTrue();
        Path tty = dir.resolve("tty");
        try (PumpRig rig = PumpRig.start(tty, "pump-07", b -> b.telemetryHz(50))) {
            assertThat(rig.overPty()).isTrue();
            assertThat(rig.port()).isEqualTo(tty.resolve("tty-gateway").toString());
            assertThat(rig.link()).isEqualTo("pty pair via socat (" + tty.resolve("tty-gateway") + " <-> "
                    + tty.resolve("tty-device") + ")");
            try (ScriptedMcu gateway = new ScriptedMcu(rig.transports().open(rig.port(), 115_200))) {
                gateway.send(Frame.empty(FrameType.PING, 1)); // the simulator answers a gateway it has not met with HELLO
                assertThat(Payloads.objectOrNull(gateway.expect(FrameType.HELLO, WAIT).payload()).path("deviceId").asText())
                        .isEqualTo("pump-07");
            }
        }
        assertThat(tty.resolve("tty-gateway")).as("socat is gone with its links").doesNotExist();
        assertThat(Files.exists(tty.resolve("tty-device"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
