package io.edgefn.hub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of an {@link EdgeHub}: its listeners, TLS material and limits. Immutable;
 * built with {@link #builder()}, which checks every value at once and names each bad one.
 *
 * @param gatewayId           this gateway's device id: module clients connect as {@code gatewayId/moduleId}
 *                            and receive their inputs on {@code devices/{gatewayId}/modules/…}
 * @param host                the address to bind
 * @param tlsPort             the MQTT-over-TLS port: 0 picks a free one, -1 turns TLS off
 * @param plainPort           the plain MQTT port (development only): 0 picks a free one, -1 (default) off
 * @param serverCertificate   the server's certificate chain, PEM (required with TLS)
 * @param serverKey           the server's private key, PKCS#8 PEM (required with TLS)
 * @param maxClients          most clients connected at once; one more is refused with CONNACK 3
 * @param maxMessageBytes     largest PUBLISH payload taken; a bigger one disconnects its client
 * @param maxKeepAliveSeconds longest keep-alive honoured: a client asking for more (or for none)
 *                            is dropped after 1.5 times this of silence
 * @param moduleWindow        QoS 1 messages in flight to one module input before its PUBACKs
 * @param connectTimeout      how long a new connection may take to send CONNECT
 */
public record HubOptions(String gatewayId, String host, int tlsPort, int plainPort, Path serverCertificate,
                         Path serverKey, int maxClients, int maxMessageBytes, int maxKeepAliveSeconds,
                         int moduleWindow, Duration connectTimeout) {

    /** IoT Hub's limit on a device-to-cloud message: 256 KB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 262_143;
    /** IoT Hub's longest keep-alive, in seconds. */
    public static final int DEFAULT_MAX_KEEP_ALIVE_SECONDS = 1177;

    /** A builder with the defaults: TLS on 8883, plain MQTT off, 1,000 clients, 256 KB, a window of 16, 10 s to CONNECT. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures {@link HubOptions}. Not thread-safe. */
    public static final class Builder {
        private String gatewayId;
        private String host = "0.0.0.0";
        private int tlsPort = 8883;
        private int plainPort = -1;
        private Path serverCertificate;
        private Path serverKey;
        private int maxClients = 1000;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxKeepAliveSeconds = DEFAULT_MAX_KEEP_ALIVE_SECONDS;
        private int moduleWindow = 16;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** This gateway's device id (required; {@code host.gatewayId()}). */
        public Builder gatewayId(String gatewayId) {
            this.gatewayId = gatewayId;
            return this;
        }

        /** The address to bind (default {@code 0.0.0.0}). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The TLS port (default 8883; 0 any free port; -1 off). */
        public Builder tlsPort(int tlsPort) {
            this.tlsPort = tlsPort;
            return this;
        }

        /** The plain MQTT port, for development only (default -1, off; 0 any free port). */
        public Builder plainPort(int plainPort) {
            this.plainPort = plainPort;
            return this;
        }

        /** The server's certificate chain (PEM) and private key (PKCS#8 PEM), required with TLS. */
        public Builder serverCertificate(Path certificateChain, Path privateKey) {
            this.serverCertificate = certificateChain;
            this.serverKey = privateKey;
            return this;
        }

        /** Most clients connected at once (default 1,000). */
        public Builder maxClients(int maxClients) {
            this.maxClients = maxClients;
            return this;
        }

        /** Largest payload taken (default 262,143 bytes, IoT Hub's 256 KB). */
        public Builder maxMessageBytes(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /** Longest keep-alive honoured, in seconds (default 1,177, IoT Hub's). */
        public Builder maxKeepAliveSeconds(int maxKeepAliveSeconds) {
            this.maxKeepAliveSeconds = maxKeepAliveSeconds;
            return this;
        }

        /** QoS 1 messages in flight to one module input (default 16). */
        public Builder moduleWindow(int moduleWindow) {
            this.moduleWindow = moduleWindow;
            return this;
        }

        /** How long a new connection may take to send CONNECT (default 10 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException naming every bad value
         */
        public HubOptions build() {
            List<String> problems = new ArrayList<>();
            if (gatewayId == null || gatewayId.isBlank() || gatewayId.contains("/")) {
                problems.add("gatewayId must be a device id without '/', was " + quote(gatewayId));
            }
            if (host == null || host.isBlank()) {
                problems.add("host must be an address to bind, was " + quote(host));
            }
            checkPort(problems, "tlsPort", tlsPort);
            checkPort(problems, "plainPort", plainPort);
            if (tlsPort == -1 && plainPort == -1) {
                problems.add("tlsPort and plainPort are both -1: the hub would listen nowhere");
            }
            if (tlsPort != -1 && (serverCertificate == null || serverKey == null)) {
                problems.add("TLS is on (tlsPort " + tlsPort + ") but serverCertificate/serverKey are "
                        + serverCertificate + "/" + serverKey + "; give both PEM files, or set tlsPort(-1)");
            }
            if (maxClients < 1) {
                problems.add("maxClients must be at least 1, was " + maxClients);
            }
            if (maxMessageBytes < 1 || maxMessageBytes > 268_435_455 - 65_539) {
                problems.add("maxMessageBytes must be between 1 and " + (268_435_455 - 65_539) + ", was " + maxMessageBytes);
            }
            if (maxKeepAliveSeconds < 1 || maxKeepAliveSeconds > 65_535) {
                problems.add("maxKeepAliveSeconds must be between 1 and 65535, was " + maxKeepAliveSeconds);
            }
            if (moduleWindow < 1 || moduleWindow > 1024) {
                problems.add("moduleWindow must be between 1 and 1024, was " + moduleWindow);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                problems.add("connectTimeout must be positive, was " + connectTimeout);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid edge hub options: " + String.join("; ", problems));
            }
            return new HubOptions(gatewayId, host, tlsPort, plainPort, serverCertificate, serverKey, maxClients,
                    maxMessageBytes, maxKeepAliveSeconds, moduleWindow, Objects.requireNonNull(connectTimeout));
        }

        private static void checkPort(List<String> problems, String name, int port) {
            if (port < -1 || port > 65_535) {
                problems.add(name + " must be -1 (off), 0 (any free port) or a port number, was " + port);
            }
        }

        private static String quote(String s) {
            return s == null ? "null" : "'" + s + "'";
        }
    }
}
