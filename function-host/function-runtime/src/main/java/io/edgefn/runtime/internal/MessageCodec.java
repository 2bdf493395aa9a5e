package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The bytes a message is stored as in the offline buffer: a version byte, the application
 * properties, the system properties and the body. The buffer itself frames and checksums each
 * record; this format only needs to be stable and self-describing.
 *
 * <p>Stateless and thread-safe.
 */
final class MessageCodec {

    private static final int VERSION = 1;

    private MessageCodec() {
    }

    /** {@code message} as bytes. */
    static byte[] encode(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + message.bodyLength());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeMap(out, message.properties());
            writeMap(out, message.systemProperties());
            out.writeInt(message.bodyLength());
            out.write(message.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The message {@code bytes} hold; an {@link IllegalArgumentException} names what is wrong. */
    static Message decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("stored message has format version " + version + ", expected " + VERSION);
            }
            Message.Builder builder = Message.builder();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                builder.property(in.readUTF(), in.readBoolean() ? in.readUTF() : null);
            }
            count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                builder.systemProperty(name, in.readBoolean() ? in.readUTF() : null);
            }
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return builder.body(body).build();
        } catch (IOException e) {
            throw new IllegalArgumentException("stored message is truncated or malformed: " + e, e);
        }
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeBoolean(e.getValue() != null);
            if (e.getValue() != null) {
                out.writeUTF(e.getValue());
            }
        }
    }
}
