package io.edgefn.hub;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A stand-in for the gateway's identity registry in tests: any client id is accepted whose
 * password is {@code "key-" + clientId}; others are refused with CONNACK 4.
 */
final class TestAuthenticator implements ClientAuthenticator {

    static final String DEVICE_SAS = "{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\"}";
    static final String MODULE_SAS = "{\"scope\":\"module\",\"type\":\"sas\",\"issuer\":\"iothub\"}";

    static String passwordOf(String clientId) {
        return "key-" + clientId;
    }

    @Override
    public ClientAuthentication authenticate(String clientId, String username, String password,
                                             List<X509Certificate> certificates) {
        if (password == null || !password.equals(passwordOf(clientId))) {
            return new ClientAuthentication.Refused("wrong key for '" + clientId + "'", 4);
        }
        int slash = clientId.indexOf('/');
        return slash < 0 ? new ClientAuthentication.Accepted(clientId, null, DEVICE_SAS)
                : new ClientAuthentication.Accepted(clientId.substring(0, slash), clientId.substring(slash + 1), MODULE_SAS);
    }
}
