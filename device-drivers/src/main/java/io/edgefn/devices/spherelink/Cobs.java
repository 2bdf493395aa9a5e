package io.edgefn.devices.spherelink;

/** Consistent Overhead Byte Stuffing: encodes bytes so that none is 0x00. Stateless. */
final class Cobs {

    private Cobs() {
    }

    /** The most bytes encoding {@code n} bytes can produce. */
    static int maxEncodedLength(int n) {
        return n + n / 254 + 1;
    }

    /**
     * Encodes {@code len} bytes of {@code src} into {@code dst} from {@code dstOff} (no trailing
     * delimiter) and returns the number of bytes written.
     */
    static int encode(byte[] src, int len, byte[] dst, int dstOff) {
        int codeIndex = dstOff;
        int out = dstOff + 1;
        int code = 1;
        for (int i = 0; i < len; i++) {
            byte b = src[i];
            if (b == 0) {
                dst[codeIndex] = (byte) code;
                codeIndex = out++;
                code = 1;
            } else {
                dst[out++] = b;
                code++;
                if (code == 0xFF) {
                    dst[codeIndex] = (byte) code;
                    codeIndex = out++;
                    code = 1;
                }
            }
        }
        dst[codeIndex] = (byte) code;
        return out - dstOff;
    }

    /**
     * Decodes {@code len} encoded bytes of {@code src} (no delimiter) into {@code dst}, which must
     * hold at least {@code len} bytes, and returns the decoded length, or {@code -1} when the
     * input is not valid COBS (a zero byte, or a code that runs past the end).
     */
    static int decode(byte[] src, int len, byte[] dst) {
        int in = 0;
        int out = 0;
        while (in < len) {
            int code = src[in++] & 0xFF;
            if (code == 0 || in + code - 1 > len) {
                return -1;
            }
            for (int k = 1; k < code; k++) {
                byte b = src[in++];
                if (b == 0) {
                    return -1;
                }
                dst[out++] = b;
            }
            if (code != 0xFF && in < len) {
                dst[out++] = 0;
            }
        }
        return out;
    }
}
