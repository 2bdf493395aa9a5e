package io.edgefn.devices.spherelink;

/** The frame types of the Sphere link, with their wire codes. */
public enum FrameType {
    /** MCU → gateway at boot, or when the MCU misses a HELLO_ACK; answered by HELLO_ACK. */
    HELLO(0x01),
    /** Gateway → MCU: gateway id, time and fail-safe period. */
    HELLO_ACK(0x02),
    /** MCU → gateway readings, fire and forget. */
    TELEMETRY(0x10),
    /** MCU → gateway: something the MCU decided itself; answered by ACK. */
    EVENT(0x11),
    /** Gateway → MCU: an order; answered by ACK after acting. */
    COMMAND(0x20),
    /** Both ways: the answer to an EVENT or COMMAND, same seq. */
    ACK(0x21),
    /** Both ways, empty: are you there? Answered by PONG, same seq. */
    PING(0x30),
    /** Both ways, empty: the answer to PING. */
    PONG(0x31);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The type with wire code {@code code} (0..255), or {@code null} for an unknown one. */
    public static FrameType ofCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}
