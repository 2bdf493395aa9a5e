package io.edgefn.hub;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Just enough MQTT 3.1.1 encoding to drive a raw socket in tests. */
final class RawMqtt {

    static final byte[] DISCONNECT = {(byte) 0xE0, 0x00};

    private RawMqtt() {
    }

    /** A CONNECT with a clean session, a 60 s keep-alive, a username and {@code password}. */
    static byte[] connect(String clientId, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4);          // protocol level 3.1.1
        body.write(0xC2);       // username, password, clean session
        body.write(0);
        body.write(60);
        string(body, clientId);
        string(body, "gw.edgefn.local/" + clientId + "/?api-version=2021-04-12");
        string(body, password);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        int length = body.size();
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    /** Reads a CONNACK and returns its return code. */
    static int readConnackCode(InputStream in) throws IOException {
        byte[] connack = in.readNBytes(4);
        if (connack.length < 4) {
            throw new EOFException("connection closed before a CONNACK");
        }
        if ((connack[0] & 0xFF) != 0x20) {
            throw new IOException("not a CONNACK: first byte " + (connack[0] & 0xFF));
        }
        return connack[3];
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.writeBytes(b);
    }
}
