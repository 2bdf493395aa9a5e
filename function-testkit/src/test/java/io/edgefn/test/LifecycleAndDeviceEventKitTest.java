package io.edgefn.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.Message;
import io.edgefn.test.hooks.PumpWatcher;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kit runs {@code @OnStart} at start, {@code @OnStop} at close, and device frames into {@code @DeviceEventTrigger}. */
class LifecycleAndDeviceEventKitTest {

    @Test
    void hooksAndDeviceEvents_runAsInTheHost_andRetryIsNotApplied() {
        PumpWatcher.STOPPED.clear();
        try (FunctionTestKit kit = FunctionTestKit.of(PumpWatcher.class).settings(Map.of("greeting", "hi")).start()) {
            kit.sendFromDevice("pump-01", "{\"rpm\": 900}");

            assertThat(kit.outputs("seen")).extracting(Message::bodyAsString).containsExactly("hi {\"rpm\": 900}");
            assertThatThrownBy(() -> kit.sendFromDevice("pump-02", "{}"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device 'pump-02'");
            assertThatThrownBy(() -> kit.sendFromDevice("pump-01", "{\"fail\": true}"))
                    .as("the first failure, not retried").isInstanceOf(FunctionFailedException.class)
                    .hasMessageContaining("bad frame");
            assertThat(PumpWatcher.STOPPED).isEmpty();
        }
        assertThat(PumpWatcher.STOPPED).containsExactly("hi");
    }
}
