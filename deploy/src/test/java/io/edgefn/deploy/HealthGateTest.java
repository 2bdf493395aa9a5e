package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A deployment's optional {@code healthGate}: its defaults, its values, and every bad one named. */
class HealthGateTest {

    private static Deployment parse(String json) {
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "d.json");
    }

    @Test
    void absent_givesTheDefaults() {
        HealthGate gate = parse("{\"routes\": {}}").healthGate();
        assertThat(gate).isEqualTo(HealthGate.DEFAULT);
        assertThat(gate.period()).isEqualTo(Duration.ofSeconds(10));
        assertThat(gate.maxErrorRate()).isEqualTo(0.5);
        assertThat(gate.minInvocations()).isEqualTo(20);
    }

    @Test
    void given_isRead_missingKeysDefault() {
        assertThat(parse("{\"routes\": {}, \"healthGate\": {\"seconds\": 3, \"maxErrorRate\": 0.1}}").healthGate())
                .isEqualTo(new HealthGate(Duration.ofSeconds(3), 0.1, 20));
        assertThat(parse("{\"routes\": {}, \"healthGate\": {\"seconds\": 0, \"minInvocations\": 5}}").healthGate())
                .isEqualTo(new HealthGate(Duration.ZERO, 0.5, 5));
    }

    @Test
    void badValues_areEachNamed() {
        assertThatThrownBy(() -> parse("""
                {"routes": {}, "healthGate": {"seconds": -1, "maxErrorRate": 2, "minInvocations": 0, "secs": 4}}"""))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("healthGate.seconds")
                .hasMessageContaining("'maxErrorRate' must be a number from 0 to 1")
                .hasMessageContaining("healthGate.minInvocations")
                .hasMessageContaining("secs");
        assertThatThrownBy(() -> parse("{\"routes\": {}, \"healthGate\": 10}"))
                .hasMessageContaining("'healthGate' must be an object");
    }
}
