package io.edgefn.deploy;

import java.nio.file.Path;

/**
 * An external MQTT broker the deployment declares under {@code brokers}, for {@code @MqttTrigger}
 * and {@code MqttPublisher} bindings that name it. Immutable; {@link #toString()} never shows the
 * password.
 *
 * @param name     the broker's name, its key under {@code brokers}
 * @param uri      {@code mqtt://host:port} or {@code mqtts://host:port} (TLS)
 * @param clientId the MQTT client id, or {@code null} for the host's default
 *                 ({@code <gatewayId>-<name>})
 * @param username the user name, or {@code null}
 * @param password the password, or {@code null}
 * @param auth     an auth file of {@code key=value} lines ({@code username}, {@code password}),
 *                 readable by its owner only, resolved against the deployment's directory; or {@code null}
 * @param ca       a PEM file of the certificates to trust for {@code mqtts}, resolved against the
 *                 deployment's directory; or {@code null} for the JDK's default trust
 */
public record BrokerEntry(String name, String uri, String clientId, String username, String password, Path auth,
                          Path ca) {

    /** Whether the connection uses TLS ({@code mqtts}). */
    public boolean tls() {
        return uri.startsWith("mqtts://");
    }

    @Override
    public String toString() {
        return "BrokerEntry[name=" + name + ", uri=" + uri + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "null" : "***") + ", auth=" + auth + ", ca=" + ca + "]";
    }
}
