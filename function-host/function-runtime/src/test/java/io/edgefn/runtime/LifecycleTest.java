package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void canMoveTo_followsTheTransitionTable() {
        assertThat(FunctionState.STARTING.canMoveTo(FunctionState.RUNNING)).isTrue();
        assertThat(FunctionState.STARTING.canMoveTo(FunctionState.BACKING_OFF)).isTrue();
        assertThat(FunctionState.BACKING_OFF.canMoveTo(FunctionState.STARTING)).isTrue();
        assertThat(FunctionState.RUNNING.canMoveTo(FunctionState.STARTING)).as("no restart of a running function").isFalse();
        assertThat(FunctionState.FAILED.canMoveTo(FunctionState.RUNNING)).isFalse();
        assertThat(FunctionState.STOPPED.next()).isEmpty();
    }

    @Test
    void delayAfter_doublesUpToTheCap() {
        RestartPolicy p = RestartPolicy.DEFAULT;
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delayAfter(5)).isEqualTo(Duration.ofMillis(3200));
        assertThat(p.delayAfter(7)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delayAfter(60)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.mayRetryAfter(5)).isTrue();
        assertThat(p.mayRetryAfter(6)).isFalse();
    }

    @Test
    void restartPolicy_rejectsNonsenseWithTheValues() {
        assertThatThrownBy(() -> new RestartPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1), 3))
                .hasMessageContaining("PT5S").hasMessageContaining("PT1S");
    }
}
