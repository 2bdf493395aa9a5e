package io.edgefn.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The upstream link's states and their transitions. */
class UpstreamStateTest {

    @Test
    void canMoveTo_followsTheTransitionTable() {
        assertThat(UpstreamState.STOPPED.canMoveTo(UpstreamState.CONNECTING)).isTrue();
        assertThat(UpstreamState.CONNECTING.canMoveTo(UpstreamState.CONNECTED)).isTrue();
        assertThat(UpstreamState.CONNECTED.canMoveTo(UpstreamState.BACKING_OFF)).isTrue();
        assertThat(UpstreamState.BACKING_OFF.canMoveTo(UpstreamState.CONNECTING)).isTrue();
        assertThat(UpstreamState.BACKING_OFF.canMoveTo(UpstreamState.CONNECTED)).isFalse();
        assertThat(UpstreamState.STOPPED.canMoveTo(UpstreamState.CONNECTED)).isFalse();
        assertThat(UpstreamState.CLOSED.allowedNext()).isEmpty();
        for (UpstreamState s : UpstreamState.values()) {
            if (s != UpstreamState.CLOSED) {
                assertThat(s.canMoveTo(UpstreamState.CLOSED)).as(s + " → CLOSED").isTrue();
            }
        }
    }
}
