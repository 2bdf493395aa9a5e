package io.edgefn.hub.identity;

import java.util.Objects;

/**
 * What {@link Authenticator#authenticate} decided about an MQTT CONNECT: accepted as an identity,
 * or refused with a reason and the CONNACK return code to send.
 */
public sealed interface AuthResult {
    /** CONNACK return code 2: identifier rejected (a client id that is no device or module id). */
    int IDENTIFIER_REJECTED = 2;
    /** CONNACK return code 4: bad user name or password (malformed, or missing, credentials). */
    int BAD_USERNAME_OR_PASSWORD = 4;
    /** CONNACK return code 5: not authorized (unknown identity, wrong key, expired, wrong resource). */
    int NOT_AUTHORIZED = 5;

    /** {@code connectionAuthMethod} of a device authenticated with a SAS token. */
    String DEVICE_SAS = "{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\"}";
    /** {@code connectionAuthMethod} of a module authenticated with a SAS token. */
    String MODULE_SAS = "{\"scope\":\"module\",\"type\":\"sas\",\"issuer\":\"iothub\"}";
    /** {@code connectionAuthMethod} of a device authenticated with an X.509 certificate. */
    String DEVICE_X509 = "{\"scope\":\"device\",\"type\":\"x509Certificate\",\"issuer\":\"iothub\"}";
    /** {@code connectionAuthMethod} of a module authenticated with an X.509 certificate. */
    String MODULE_X509 = "{\"scope\":\"module\",\"type\":\"x509Certificate\",\"issuer\":\"iothub\"}";

    /**
     * The connection is accepted as this identity.
     *
     * @param deviceId the device id
     * @param moduleId the module id, or null for a device
     * @param authMethod the {@code connectionAuthMethod} property as IoT Hub writes it, e.g. {@link #DEVICE_SAS}
     */
    record Accepted(String deviceId, String moduleId, String authMethod) implements AuthResult {
        /** Checks that the device id and auth method are present. */
        public Accepted {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(authMethod, "authMethod");
        }
    }

    /**
     * The connection is refused.
     *
     * @param reason what was wrong, for the log; never contains a key or a signature
     * @param connackCode the CONNACK return code: {@link #BAD_USERNAME_OR_PASSWORD}, {@link #NOT_AUTHORIZED}
     *     or {@link #IDENTIFIER_REJECTED}
     */
    record Refused(String reason, int connackCode) implements AuthResult {
        /** Checks that the reason is present. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
