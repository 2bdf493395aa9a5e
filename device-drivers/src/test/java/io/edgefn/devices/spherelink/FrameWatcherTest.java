package io.edgefn.devices.spherelink;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.devices.InMemoryTransport;
import io.edgefn.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameWatcherTest {

    @Test
    void watch_framesAndNoise_printsOneLinePerFrameUntilTheLineCloses() throws Exception {
        InMemoryTransport.Pair line = InMemoryTransport.pair("watch");
        List<String> lines = new ArrayList<>();
        FrameWatcher watcher = new FrameWatcher(new ManualClock(), lines::add);
        line.deviceEnd().write(FrameCodec.encode(Frame.of(FrameType.TELEMETRY, 4711, "{\"pressure\":87.2}")));
        line.deviceEnd().write(new byte[] {0x11, 0x22, 0x33, 0});
        line.deviceEnd().write(FrameCodec.encode(Frame.empty(FrameType.PING, 5)));
        line.deviceEnd().close();
        watcher.watch(line.gatewayEnd());
        assertThat(lines).containsExactly(
                "00:00:00.000 TELEMETRY seq=4711 len=17 {\"pressure\":87.2}",
                "00:00:00.000 BAD cobs (3 bytes on the wire)",
                "00:00:00.000 PING seq=5 len=0");
        assertThat(watcher.frames()).isEqualTo(2);
        assertThat(watcher.badFrames()).isEqualTo(1);
    }

    @Test
    void accept_payloadWithTerminalEscapes_printsThemEscaped() {
        List<String> lines = new ArrayList<>();
        FrameWatcher watcher = new FrameWatcher(new ManualClock(), lines::add);
        byte[] wire = FrameCodec.encode(Frame.of(FrameType.TELEMETRY, 9, "{\"s\":\"\u001b[2J\u001b]0;pwned\u0007\nfake\"}"));
        watcher.accept(wire, 0, wire.length);
        assertThat(lines).containsExactly(
                "00:00:00.000 TELEMETRY seq=9 len=27 {\"s\":\"\\u001b[2J\\u001b]0;pwned\\u0007\\nfake\"}");
        assertThat(lines.getFirst()).doesNotContain("\u001b", "\u0007", "\n");
    }
}
