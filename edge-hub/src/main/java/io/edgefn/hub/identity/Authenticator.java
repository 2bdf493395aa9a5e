package io.edgefn.hub.identity;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Decides whether an MQTT CONNECT may go ahead, and as whom: IoT Hub's rules for client id,
 * username, SAS token and X.509 client certificate, against the gateway's {@link DeviceRegistry}.
 *
 * <p>The rules:
 * <ul>
 *   <li>client id {@code deviceId} or {@code deviceId/moduleId};
 *   <li>username {@code {host}/{deviceId}/?api-version=…} or {@code {host}/{deviceId}/{moduleId}/?api-version=…},
 *       its ids equal to the client id's; other query parameters are ignored, and so is the host
 *       (IoT Hub's name or the gateway's both occur): the SAS resource's host is what is checked;
 *   <li>with a password, a SAS token whose resource is {@code {host}/devices/{deviceId}} (module:
 *       {@code …/modules/{moduleId}}), host the hub hostname or the gateway hostname in any case, ids
 *       exact; not expired more than {@link #CLOCK_SKEW} (5 minutes) ago; signed with the primary or
 *       else the secondary key (constant-time comparison);
 *   <li>without a password, the TLS peer's certificate: its SHA-1 or SHA-256 thumbprint is the
 *       registered one; or a certificate above it in the presented chain has the registered
 *       thumbprint, is a CA, signed it, and the leaf's CN is the device id (a module's: the module id).
 *       The leaf must be within its validity period. (That the client holds the leaf's private key
 *       is proven by the TLS handshake.)
 * </ul>
 * A refusal's reason names the problem, never a key or a signature.
 *
 * <p>Threading: thread-safe. It may read the registry file, so call it off the event loop.
 */
public final class Authenticator {
    /** How long after a SAS token's expiry it is still accepted, for devices whose clocks run behind: 5 minutes. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final String USERNAME_SHAPE = "{host}/{deviceId}/?api-version=… or {host}/{deviceId}/{moduleId}/?api-version=…";

    private final GatewayIdentity gateway;
    private final DeviceRegistry registry;
    private final InstantSource clock;

    /** An authenticator for the gateway {@code gateway}, of the identities in {@code registry}, at {@code clock}'s time. */
    public Authenticator(GatewayIdentity gateway, DeviceRegistry registry, InstantSource clock) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Authenticates a CONNECT.
     *
     * @param clientId the client id as sent
     * @param username the username as sent (null if none)
     * @param password the password as sent (null if none)
     * @param clientCertificates the TLS peer's chain, leaf first; empty without TLS or a client certificate
     */
    public AuthResult authenticate(String clientId, String username, String password, List<X509Certificate> clientCertificates) {
        String[] ids = clientId == null ? new String[0] : clientId.split("/", -1);
        if (ids.length < 1 || ids.length > 2 || !Ids.isValid(ids[0]) || (ids.length == 2 && !Ids.isValid(ids[1]))) {
            return new AuthResult.Refused("client id " + Ids.quote(clientId)
                    + " is not deviceId or deviceId/moduleId with valid IoT Hub ids", AuthResult.IDENTIFIER_REJECTED);
        }
        String deviceId = ids[0];
        String moduleId = ids.length == 2 ? ids[1] : null;
        String who = moduleId == null ? "device " + Ids.quote(deviceId) : "module " + Ids.quote(clientId);

        AuthResult.Refused badUsername = checkUsername(username, clientId, deviceId, moduleId);
        if (badUsername != null) {
            return badUsername;
        }
        Optional<Identity> found = registry.find(deviceId, moduleId);
        if (found.isEmpty()) {
            return notAuthorized(who + " is not registered with this gateway (add it with: edgefn devices add "
                    + (moduleId == null ? deviceId : moduleId + " --module") + ")");
        }
        Identity identity = found.get();
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasPassword) {
            return sas(identity, who, password);
        }
        List<X509Certificate> chain = clientCertificates == null ? List.of() : clientCertificates;
        if (chain.isEmpty()) {
            return new AuthResult.Refused(who + " sent no password and no client certificate: send a SAS token as the "
                    + "password, or connect over TLS with a client certificate", AuthResult.BAD_USERNAME_OR_PASSWORD);
        }
        return x509(identity, who, chain);
    }

    private static AuthResult.Refused checkUsername(String username, String clientId, String deviceId, String moduleId) {
        if (username == null || username.isEmpty()) {
            return badUsername("no username; expected " + USERNAME_SHAPE);
        }
        int q = username.indexOf('?');
        String path = q < 0 ? username : username.substring(0, q);
        String[] parts = path.split("/", -1);
        int n = parts.length;
        if (n > 0 && parts[n - 1].isEmpty()) {
            n--; // the slash before '?'
        }
        if (n > 0 && parts[n - 1].startsWith("api-version=")) {
            n--; // an old SDK's {host}/{deviceId}/api-version=…
        }
        if (n < 2 || n > 3 || parts[0].isEmpty()) {
            return badUsername("username " + Ids.quote(username) + " is not " + USERNAME_SHAPE);
        }
        String userDevice = parts[1];
        String userModule = n == 3 ? parts[2] : null;
        if (!userDevice.equals(deviceId) || !Objects.equals(userModule, moduleId)) {
            return badUsername("username " + Ids.quote(username) + " names "
                    + (userModule == null ? "device " + Ids.quote(userDevice) : "module " + Ids.quote(userDevice + "/" + userModule))
                    + " but the client id is " + Ids.quote(clientId));
        }
        return null;
    }

    private AuthResult sas(Identity identity, String who, String password) {
        if (identity.isX509()) {
            return notAuthorized(who + " is registered for X.509 authentication: connect with its client certificate, "
                    + "not a SAS token");
        }
        SasToken token;
        try {
            token = SasToken.parse(password);
        } catch (IdentityException e) {
            return new AuthResult.Refused(who + ": " + e.getMessage(), AuthResult.BAD_USERNAME_OR_PASSWORD);
        }
        String resource = token.resource();
        int slash = resource.indexOf('/');
        String host = slash < 0 ? resource : resource.substring(0, slash);
        String path = slash < 0 ? "" : resource.substring(slash);
        if (!host.equalsIgnoreCase(gateway.hubHostName()) && !host.equalsIgnoreCase(gateway.hostname())) {
            return notAuthorized(who + ": SAS token is for host " + Ids.quote(host) + ", not this gateway's ("
                    + gateway.hubHostName() + " or " + gateway.hostname() + ")");
        }
        String expected = "/devices/" + identity.deviceId() + (identity.isModule() ? "/modules/" + identity.moduleId() : "");
        if (!path.equals(expected)) {
            return notAuthorized(who + ": SAS token is for resource " + Ids.quote(path.isEmpty() ? "(none)" : path)
                    + ", not " + expected);
        }
        Instant now = clock.instant();
        if (token.expiry().plus(CLOCK_SKEW).isBefore(now)) {
            return notAuthorized(who + ": SAS token expired at " + token.expiry() + ", more than "
                    + CLOCK_SKEW.toMinutes() + " minutes before now (" + now + ")");
        }
        // Both keys are always tried, so the time taken says nothing about which matched.
        boolean primary = token.signatureMatches(Base64.getDecoder().decode(identity.primaryKey()));
        boolean secondary = token.signatureMatches(Base64.getDecoder().decode(identity.secondaryKey()));
        if (!(primary | secondary)) {
            return notAuthorized(who + ": SAS token's signature matches neither the primary nor the secondary key");
        }
        return new AuthResult.Accepted(identity.deviceId(), identity.moduleId(),
                identity.isModule() ? AuthResult.MODULE_SAS : AuthResult.DEVICE_SAS);
    }

    private AuthResult x509(Identity identity, String who, List<X509Certificate> chain) {
        if (!identity.isX509()) {
            return notAuthorized(who + " is registered for SAS keys: send a SAS token as the password");
        }
        X509Certificate leaf = chain.get(0);
        Date now = Date.from(clock.instant());
        try {
            leaf.checkValidity(now);
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return notAuthorized(who + ": client certificate is valid only from " + leaf.getNotBefore().toInstant()
                    + " to " + leaf.getNotAfter().toInstant());
        }
        String registered = identity.x509Thumbprint();
        String presented = thumbprint(leaf, registered.length());
        String method = identity.isModule() ? AuthResult.MODULE_X509 : AuthResult.DEVICE_X509;
        if (presented.equals(registered)) {
            return new AuthResult.Accepted(identity.deviceId(), identity.moduleId(), method);
        }
        String expectedCn = identity.isModule() ? identity.moduleId() : identity.deviceId();
        for (X509Certificate ca : chain.subList(1, chain.size())) {
            if (thumbprint(ca, registered.length()).equals(registered)) {
                if (ca.getBasicConstraints() < 0) {
                    return notAuthorized(who + ": the registered certificate " + registered + " in the chain is not a CA");
                }
                try {
                    ca.checkValidity(now);
                    leaf.verify(ca.getPublicKey());
                } catch (GeneralSecurityException e) {
                    return notAuthorized(who + ": the client certificate was not signed by the registered CA "
                            + registered + ", or that CA is not valid now (" + e.getMessage() + ")");
                }
                String cn = commonName(leaf);
                if (!expectedCn.equals(cn)) {
                    return notAuthorized(who + ": the client certificate's CN is " + Ids.quote(cn) + ", not "
                            + Ids.quote(expectedCn) + " (a certificate issued by a registered CA must name the id)");
                }
                return new AuthResult.Accepted(identity.deviceId(), identity.moduleId(), method);
            }
        }
        return notAuthorized(who + ": client certificate's thumbprint " + presented + " is not the registered "
                + registered + ", and no CA with that thumbprint is in the presented chain");
    }

    /** The uppercase hex SHA-1 (length 40) or SHA-256 (length 64) of the certificate's DER encoding. */
    static String thumbprint(X509Certificate certificate, int hexLength) {
        try {
            MessageDigest digest = MessageDigest.getInstance(hexLength == 40 ? "SHA-1" : "SHA-256");
            return HexFormat.of().withUpperCase().formatHex(digest.digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IdentityException("cannot compute a certificate's thumbprint: " + e.getMessage(), e);
        }
    }

    private static String commonName(X509Certificate certificate) {
        RDN[] rdns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (rdns.length == 0 || !(rdns[0].getFirst().getValue() instanceof ASN1String cn)) {
            return null;
        }
        return cn.getString();
    }

    private static AuthResult.Refused notAuthorized(String reason) {
        return new AuthResult.Refused(reason, AuthResult.NOT_AUTHORIZED);
    }

    private static AuthResult.Refused badUsername(String reason) {
        return new AuthResult.Refused(reason, AuthResult.BAD_USERNAME_OR_PASSWORD);
    }

    @Override
    public String toString() {
        return "Authenticator[" + gateway.gatewayId() + " " + gateway.hostname() + ", " + registry + "]";
    }

}
