package io.edgefn.hub;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Decides who an MQTT client is from what its CONNECT and TLS handshake carried: the edge hub's
 * one question to the gateway's identity registry.
 *
 * <p>The hub calls it off the event loop (on a Vert.x worker), so an implementation may read
 * files or a registry; it must be thread-safe and must not keep the secrets it is given.
 */
@FunctionalInterface
public interface ClientAuthenticator {

    /**
     * Authenticates one connecting client.
     *
     * @param clientId     the MQTT client identifier ({@code deviceId} or {@code deviceId/moduleId})
     * @param username     the CONNECT username ({@code {host}/{deviceId}/?api-version=…}), or null
     * @param password     the CONNECT password (a SAS token), or null (X.509)
     * @param certificates the client's TLS certificate chain, leaf first; empty on plain MQTT or without one
     * @return {@link ClientAuthentication.Accepted} with the identity, or {@link ClientAuthentication.Refused}
     */
    ClientAuthentication authenticate(String clientId, String username, String password,
                                      List<X509Certificate> certificates);
}
