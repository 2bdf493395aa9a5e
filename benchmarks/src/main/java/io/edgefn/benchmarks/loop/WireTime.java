package io.edgefn.benchmarks.loop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time the loop's frames take on a real UART, which the pty does not have: 8N1 framing sends
 * 10 bits per byte (a start bit, 8 data bits, a stop bit), so a frame of {@code n} bytes takes
 * {@code n × 10 / baud} seconds. The loop puts three frames on the wire one after the other: the
 * reading (MCU → gateway), the COMMAND (gateway → MCU) and the ACK (MCU → gateway). Stateless.
 */
final class WireTime {

    /** Bits on the wire per byte with 8N1: start + 8 data + stop. */
    static final int BITS_PER_BYTE = 10;
    /** The baud rates the JSON and LOOP.md report. */
    static final List<Integer> BAUD_RATES = List.of(9_600, 115_200, 921_600, 3_000_000);

    private WireTime() {
    }

    /** Milliseconds {@code bytes} take at {@code baud} with 8N1. */
    static double millis(int bytes, int baud) {
        if (bytes < 0 || baud <= 0) {
            throw new IllegalArgumentException("need bytes >= 0 and baud > 0, got " + bytes + " bytes at " + baud + " baud");
        }
        return bytes * (double) BITS_PER_BYTE * 1_000.0 / baud;
    }

    /**
     * The wire time per baud rate of a loop whose frames are {@code readingBytes},
     * {@code commandBytes} and {@code ackBytes} long on the wire (COBS-encoded, with the delimiter),
     * as plain JSON values: per baud rate each frame and the three together, in milliseconds.
     */
    static Map<String, Object> table(int readingBytes, int commandBytes, int ackBytes) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bitsPerByte", BITS_PER_BYTE);
        out.put("readingBytes", readingBytes);
        out.put("commandBytes", commandBytes);
        out.put("ackBytes", ackBytes);
        Map<String, Object> perBaud = new LinkedHashMap<>();
        for (int baud : BAUD_RATES) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("readingMillis", round(millis(readingBytes, baud)));
            m.put("commandMillis", round(millis(commandBytes, baud)));
            m.put("ackMillis", round(millis(ackBytes, baud)));
            m.put("loopMillis", round(millis(readingBytes + commandBytes + ackBytes, baud)));
            perBaud.put(Integer.toString(baud), m);
        }
        out.put("perBaud", perBaud);
        return out;
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
