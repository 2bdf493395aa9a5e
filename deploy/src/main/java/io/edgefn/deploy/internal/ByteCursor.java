package io.edgefn.deploy.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Big-endian reads from a byte array with bounds checks: running off the end is a
 * {@link ClassFormatException} naming the offset, never an index exception.
 *
 * <p>Not thread-safe; owned by the one parse that created it.
 */
final class ByteCursor {

    private final byte[] bytes;
    private final int end;
    private int position;

    ByteCursor(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.position = start;
        this.end = end;
    }

    int position() {
        return position;
    }

    int u1() throws ClassFormatException {
        need(1);
        return bytes[position++] & 0xFF;
    }

    int u2() throws ClassFormatException {
        need(2);
        int v = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
        position += 2;
        return v;
    }

    int s4() throws ClassFormatException {
        need(4);
        int v = ((bytes[position] & 0xFF) << 24) | ((bytes[position + 1] & 0xFF) << 16)
                | ((bytes[position + 2] & 0xFF) << 8) | (bytes[position + 3] & 0xFF);
        position += 4;
        return v;
    }

    /** Skips {@code n} bytes, which must all be there. */
    void skip(long n) throws ClassFormatException {
        if (n < 0 || n > end - position) {
            throw truncated(n);
        }
        position += (int) n;
    }

    /** A cursor over the next {@code length} bytes, which this one skips. */
    ByteCursor slice(long length) throws ClassFormatException {
        int start = position;
        skip(length);
        return new ByteCursor(bytes, start, position);
    }

    /** A copy of the bytes from the position to the end. */
    byte[] remaining() {
        return java.util.Arrays.copyOfRange(bytes, position, end);
    }

    /** A modified-UTF-8 string of {@code length} bytes, as class files store names. */
    String utf8(int length) throws ClassFormatException {
        int start = position;
        skip(length);
        byte[] framed = new byte[length + 2];
        framed[0] = (byte) (length >>> 8);
        framed[1] = (byte) length;
        System.arraycopy(bytes, start, framed, 2, length);
        try {
            return new DataInputStream(new ByteArrayInputStream(framed)).readUTF();
        } catch (IOException e) {
            throw new ClassFormatException("malformed modified UTF-8 string at byte " + start);
        }
    }

    private void need(int n) throws ClassFormatException {
        if (n > end - position) {
            throw truncated(n);
        }
    }

    private ClassFormatException truncated(long n) {
        return new ClassFormatException("truncated: needed " + n + " more bytes at byte " + position
                + " but only " + (end - position) + " remain");
    }
}
