package io.edgefn.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialTransportTest {

    @Test
    void open_missingPort_failsNamingThePath(@TempDir Path dir) {
        String path = dir.resolve("ttyUSB9").toString();
        assertThatThrownBy(() -> TransportFactory.serial().open(path, 115200))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(path)
                .hasMessageContaining("does not exist");
    }

    @Test
    void list_systemPorts_areSortedByPath() {
        var ports = SerialPorts.list();
        assertThat(ports).isSortedAccordingTo(java.util.Comparator.comparing(SerialPorts.PortInfo::path));
    }
}
