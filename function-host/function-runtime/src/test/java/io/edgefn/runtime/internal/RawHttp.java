package io.edgefn.runtime.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand, for tests of the management API that need what a ready-made client will not
 * send (any {@code Host}, none at all) or will not hold (a connection that sends nothing).
 */
final class RawHttp {

    private RawHttp() {
    }

    /** A response: status, headers by lower-case name, body. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    /**
     * Sends {@code method path} with {@code host} as the Host header (none when null) and
     * {@code Connection: close}, and reads the whole response.
     */
    static Response request(int port, String method, String path, String host) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            String head = method + " " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                    + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            return parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Host header value naming 127.0.0.1 and {@code port}, as the API accepts it. */
    static String host(int port) {
        return "127.0.0.1:" + port;
    }

    /** A connection to {@code port} that sends nothing, polled without blocking. */
    static SocketChannel idleConnection(int port) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        channel.configureBlocking(false);
        return channel;
    }

    /** Whether the server has closed {@code channel}: reads (and drops) what it sent so far. */
    static boolean closedByServer(SocketChannel channel) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
            }
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    private static Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP/1.1 response: " + raw);
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(status, headers, raw.substring(end + 4));
    }
}
