package io.edgefn.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceConfigTest {

    @Test
    void new_everyFieldBad_namesEveryProblemAndTheDevice() {
        assertThatThrownBy(() -> new DeviceConfig("pump-01", " ", "", 0, Duration.ofSeconds(-1), null))
                .isInstanceOf(DeviceDriverException.class)
                .hasMessageContaining("device 'pump-01'")
                .hasMessageContaining("driver must not be blank")
                .hasMessageContaining("port must not be blank")
                .hasMessageContaining("baud must be positive, was: 0")
                .hasMessageContaining("failSafe must be positive");
    }

    @Test
    void new_options_areCopiedAndReadOnly() {
        Map<String, Object> options = new HashMap<>();
        options.put("commandTries", 5);
        DeviceConfig c = new DeviceConfig("p", "sphere-link", "/dev/ttyUSB0", 115200, null, options);
        options.put("commandTries", 7);
        assertThat(c.options()).containsEntry("commandTries", 5);
        assertThatThrownBy(() -> c.options().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withOption_addsWithoutTouchingTheOriginal() {
        DeviceConfig c = DeviceConfig.of("p", "sphere-link", "/dev/ttyUSB0", 115200);
        assertThat(c.withOption("tickMillis", 10).options()).containsEntry("tickMillis", 10);
        assertThat(c.options()).isEmpty();
    }
}
