package io.edgefn.benchmarks.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTimeTest {

    @Test
    void millis_tenBitsPerByte() {
        // 58 bytes at 115200 baud: 580 bits = 5.035 ms, "a COMMAND alone takes about 5 ms"
        assertThat(WireTime.millis(58, 115_200)).isCloseTo(5.0347, within(1e-4));
        assertThat(WireTime.millis(96, 9_600)).isEqualTo(100.0);
        assertThat(WireTime.millis(300, 3_000_000)).isEqualTo(1.0);
    }

    @Test
    void millis_badInput_isRefused() {
        assertThatThrownBy(() -> WireTime.millis(10, 0)).hasMessageContaining("10 bytes at 0 baud");
    }

    @Test
    @SuppressWarnings("unchecked")
    void table_everyBaudRate_framesAndTheirSum() {
        Map<String, Object> t = WireTime.table(70, 80, 25);
        Map<String, Map<String, Object>> perBaud = (Map<String, Map<String, Object>>) t.get("perBaud");

        assertThat(perBaud).containsOnlyKeys("9600", "115200", "921600", "3000000");
        Map<String, Object> b = perBaud.get("115200");
        assertThat((double) b.get("commandMillis")).isEqualTo(6.944);
        assertThat((double) b.get("loopMillis")).isEqualTo(15.191); // 175 bytes × 10 bits / 115200
        assertThat((double) perBaud.get("9600").get("readingMillis")).isEqualTo(72.917);
        assertThat(t.get("bitsPerByte")).isEqualTo(10);
    }
}
