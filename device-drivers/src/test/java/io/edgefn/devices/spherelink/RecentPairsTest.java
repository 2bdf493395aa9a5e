package io.edgefn.devices.spherelink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentPairsTest {

    @Test
    void answerFor_rememberedPair_returnsItsAnswerUntilSixteenNewerOnesPushItOut() {
        RecentPairs r = new RecentPairs();
        r.remember(1, new byte[] {1}, "a");
        assertThat(r.answerFor(1, new byte[] {1})).isEqualTo("a");
        assertThat(r.answerFor(1, new byte[] {2})).isNull();
        for (int i = 2; i <= 16; i++) {
            r.remember(i, new byte[] {1}, "x");
        }
        assertThat(r.answerFor(1, new byte[] {1})).isEqualTo("a");
        r.remember(17, new byte[] {1}, "x");
        assertThat(r.answerFor(1, new byte[] {1})).isNull();
    }

    @Test
    void clear_forgetsEverything() {
        RecentPairs r = new RecentPairs();
        r.remember(1, new byte[] {1}, "a");
        r.clear();
        assertThat(r.answerFor(1, new byte[] {1})).isNull();
    }
}
