package io.edgefn.hub;

import java.util.Objects;

/** What a {@link ClientAuthenticator} decided about a connecting client. */
public sealed interface ClientAuthentication {

    /**
     * The client is this device or module.
     *
     * @param deviceId   the device id
     * @param moduleId   the module id, or null for a device
     * @param authMethod how it was authenticated, as IoT Hub writes {@code connectionAuthMethod}
     *                   ({@code {"scope":"device","type":"sas","issuer":"iothub"}})
     */
    record Accepted(String deviceId, String moduleId, String authMethod) implements ClientAuthentication {

        /** Checks that a device id and an auth method are given. */
        public Accepted {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(authMethod, "authMethod");
        }

        /** The MQTT client id this identity connects with: {@code deviceId} or {@code deviceId/moduleId}. */
        public String clientId() {
            return moduleId == null ? deviceId : deviceId + "/" + moduleId;
        }
    }

    /**
     * The client is refused.
     *
     * @param reason      why, for the log (never a key, token or signature)
     * @param connackCode the MQTT 3.1.1 CONNACK return code: 1 unacceptable protocol version,
     *                    2 identifier rejected, 3 server unavailable, 4 bad user name or password,
     *                    5 not authorized
     */
    record Refused(String reason, int connackCode) implements ClientAuthentication {

        /** Checks the code is a refusal code of MQTT 3.1.1. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            if (connackCode < 1 || connackCode > 5) {
                throw new IllegalArgumentException("connackCode must be an MQTT 3.1.1 refusal code (1-5), was " + connackCode);
            }
        }
    }
}
