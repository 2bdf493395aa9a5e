package io.edgefn.devices;

import com.fazecast.jSerialComm.SerialPort;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Lists the serial ports of this machine (for {@code edgefn serial scan}). Pseudo-terminals are
 * not listed (jSerialComm does not see them) but open by path all the same.
 */
public final class SerialPorts {

    private SerialPorts() {
    }

    /**
     * A serial port the system reports.
     *
     * @param path        the path to open, e.g. {@code /dev/ttyUSB0}
     * @param description the system's description of the port (adapter or board name)
     */
    public record PortInfo(String path, String description) {
    }

    /** The serial ports present now, sorted by path. */
    public static List<PortInfo> list() {
        return Arrays.stream(SerialPort.getCommPorts())
                .map(p -> new PortInfo(p.getSystemPortPath(), p.getPortDescription()))
                .sorted(Comparator.comparing(PortInfo::path))
                .toList();
    }
}
