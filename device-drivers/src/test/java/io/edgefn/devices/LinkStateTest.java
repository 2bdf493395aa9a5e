package io.edgefn.devices;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkStateTest {

    @Test
    void canMoveTo_table_allowsOnlyTheDocumentedTransitions() {
        assertThat(LinkState.NEW.allowedNext()).containsExactlyInAnyOrder(LinkState.CONNECTING, LinkState.CLOSED);
        assertThat(LinkState.CONNECTING.allowedNext())
                .containsExactlyInAnyOrder(LinkState.ONLINE, LinkState.OFFLINE, LinkState.CLOSED);
        assertThat(LinkState.ONLINE.allowedNext()).containsExactlyInAnyOrder(LinkState.OFFLINE, LinkState.CLOSED);
        assertThat(LinkState.OFFLINE.allowedNext())
                .containsExactlyInAnyOrder(LinkState.CONNECTING, LinkState.ONLINE, LinkState.CLOSED);
        assertThat(LinkState.CLOSED.allowedNext()).isEmpty();
    }

    @Test
    void canMoveTo_sameState_isNotATransition() {
        for (LinkState s : LinkState.values()) {
            assertThat(s.canMoveTo(s)).as("%s -> %s", s, s).isFalse();
        }
    }
}
