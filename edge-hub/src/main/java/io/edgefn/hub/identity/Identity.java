package io.edgefn.hub.identity;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A leaf device's or a module's identity in the gateway's {@link DeviceRegistry}: its ids and its
 * credentials — two SAS keys, or an X.509 thumbprint.
 *
 * <p>{@link #toString()} leaves the keys out, so an identity may be logged.
 *
 * @param deviceId the device id (for a module, the gateway's id)
 * @param moduleId the module id, or null for a device
 * @param primaryKey the primary SAS key, 32 random bytes in Base64; null for an X.509 identity
 * @param secondaryKey the secondary SAS key, as the primary; null for an X.509 identity
 * @param x509Thumbprint the registered certificate's SHA-1 (40) or SHA-256 (64) thumbprint in
 *     uppercase hex, or null for a SAS identity
 * @param createdAt when it was added
 */
public record Identity(String deviceId, String moduleId, String primaryKey, String secondaryKey,
        String x509Thumbprint, Instant createdAt) {

    /**
     * Checks the ids and that the identity has either both keys or a thumbprint.
     *
     * @throws IdentityException naming what is wrong
     */
    public Identity {
        Ids.require(deviceId, "device id");
        if (moduleId != null) {
            Ids.require(moduleId, "module id");
        }
        Objects.requireNonNull(createdAt, "createdAt");
        if (x509Thumbprint != null) {
            x509Thumbprint = normalizeThumbprint(x509Thumbprint);
        } else if (primaryKey == null || secondaryKey == null) {
            throw new IdentityException("identity " + Ids.quote(deviceId) + " has neither SAS keys nor an X.509 thumbprint");
        }
    }

    /** Whether this is a module's identity. */
    public boolean isModule() {
        return moduleId != null;
    }

    /** Whether this identity authenticates with an X.509 certificate, not SAS keys. */
    public boolean isX509() {
        return x509Thumbprint != null;
    }

    /** {@code "device"} or {@code "module"}. */
    public String kind() {
        return isModule() ? "module" : "device";
    }

    /** {@code "sas"} or {@code "x509"}. */
    public String authType() {
        return isX509() ? "x509" : "sas";
    }

    /** {@code deviceId} or {@code deviceId/moduleId}, as an MQTT client id. */
    public String clientId() {
        return isModule() ? deviceId + "/" + moduleId : deviceId;
    }

    /**
     * A thumbprint in the registry's form: uppercase hex without separators ({@code :}, spaces, as
     * {@code openssl x509 -fingerprint} prints them), 40 digits (SHA-1) or 64 (SHA-256).
     *
     * @throws IdentityException if it is not 40 or 64 hex digits
     */
    public static String normalizeThumbprint(String thumbprint) {
        String hex = thumbprint.replace(":", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if ((hex.length() != 40 && hex.length() != 64) || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            throw new IdentityException("invalid X.509 thumbprint " + Ids.quote(thumbprint)
                    + ": expected 40 (SHA-1) or 64 (SHA-256) hex digits, got " + hex.length() + " characters");
        }
        return hex;
    }

    /** The ids, kind and authentication type; never the keys. */
    @Override
    public String toString() {
        return "Identity[" + clientId() + ", " + kind() + ", " + authType()
                + (isX509() ? " " + x509Thumbprint : ", keys redacted") + ", created " + createdAt + "]";
    }
}
