package io.edgefn.devices.spherelink;

import java.util.Locale;

/** Why a received frame was dropped. */
public enum BadFrameReason {
    /** The bytes between two 0x00 delimiters are not valid COBS. */
    COBS,
    /** The CRC-16/CCITT-FALSE does not match. */
    CRC,
    /** The version byte is not 0x01. */
    VERSION,
    /** Too short, too long (payload over 1024 bytes, or no delimiter in sight), or the len field disagrees with the frame. */
    LENGTH,
    /** The type byte names no known frame type. */
    UNKNOWN_TYPE,
    /** A valid frame the receiver does not expect from that side (e.g. a COMMAND sent to the gateway). */
    UNEXPECTED,
    /** A payload that is not the JSON object its type requires. */
    PAYLOAD;

    /** The lower-case name used in counters and logs, e.g. {@code unknown-type}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
