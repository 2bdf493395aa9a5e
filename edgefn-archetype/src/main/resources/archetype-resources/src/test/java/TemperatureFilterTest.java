package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgefn.api.Message;
import io.edgefn.test.FunctionTestKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TemperatureFilter} on the test kit: in-process, no host, milliseconds. */
class TemperatureFilterTest {

    @Test
    void forwardsOnlyReadingsAboveTheDefaultThreshold() {
        try (FunctionTestKit kit = FunctionTestKit.of(TemperatureFilter.class).start()) {
            kit.send("in", FunctionTestKit.deviceMessage("sensor-1", "{\"temperature\": 99, \"humidity\": 40}"));
            kit.send("in", FunctionTestKit.deviceMessage("sensor-1", "{\"temperature\": 10}"));

            List<Message> out = kit.outputs("out");
            assertEquals(1, out.size());
            assertEquals("{\"temperature\": 99, \"humidity\": 40}", out.get(0).bodyAsString());
        }
    }

    @Test
    void thresholdComesFromTheSettings() {
        try (FunctionTestKit kit = FunctionTestKit.of(TemperatureFilter.class).settings(Map.of("threshold", 60)).start()) {
            kit.send("in", "{\"temperature\": 55}");
            kit.send("in", "{\"temperature\": 61}");
            kit.send("in", "{\"pressure\": 80}");

            assertEquals(1, kit.outputs("out").size());
            assertTrue(kit.outputs("out").get(0).bodyAsString().contains("61"));
        }
    }
}
