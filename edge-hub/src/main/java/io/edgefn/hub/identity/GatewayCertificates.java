package io.edgefn.hub.identity;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TLS certificates: its own CA, which devices trust, and the server certificate the
 * MQTT endpoint presents, signed by that CA.
 *
 * <p>Files under {@code {dataDir}/identity/certs/}: {@code ca.pem} (the CA certificate, the one to
 * install on devices), {@code ca.key} (its private key, 0600), {@code server.pem} (the chain: server
 * certificate then CA certificate) and {@code server.key} (0600). Keys are P-256 in PKCS#8 PEM
 * ({@code -----BEGIN PRIVATE KEY-----}); signatures are ECDSA with SHA-256.
 *
 * <p>Validity and renewal, in numbers: the CA is valid for {@value #CA_VALIDITY_DAYS} days (10
 * years) and is created once, when absent; the server certificate is valid for
 * {@value #SERVER_VALIDITY_DAYS} days (1 year, never past the CA's end) and is reissued by
 * {@link #loadOrCreate} when absent, when its subject alternative names do not cover the identity's
 * hostname, when it was not signed by the current CA, or when fewer than {@value #RENEW_BEFORE_DAYS}
 * days of its validity remain. Both start {@value #BACKDATE_MINUTES} minutes before they were made,
 * for devices whose clocks lag. The server certificate's names: DNS {@code hostname}, DNS
 * {@code localhost}, IP {@code 127.0.0.1}, and IP {@code hostname} when the hostname is an address.
 *
 * <p>Immutable once loaded; thread-safe. {@link #loadOrCreate} is safe between processes: it holds
 * the identity lock ({@code identity/.lock}) while it reads and writes.
 */
public final class GatewayCertificates {
    /** How long the CA is valid: 3650 days. */
    public static final int CA_VALIDITY_DAYS = 3650;
    /** How long a server certificate is valid: 365 days. */
    public static final int SERVER_VALIDITY_DAYS = 365;
    /** A server certificate with fewer days than this left is reissued: 30. */
    public static final int RENEW_BEFORE_DAYS = 30;
    /** How long before its making a certificate becomes valid, for lagging clocks: 60 minutes. */
    public static final int BACKDATE_MINUTES = 60;
    /** The directory under {@code identity/}. */
    public static final String DIRECTORY = "certs";

    private static final Logger log = LoggerFactory.getLogger(GatewayCertificates.class);

    private final Path dir;
    private final X509Certificate ca;
    private final X509Certificate server;
    private final List<String> changes;

    private GatewayCertificates(Path dir, X509Certificate ca, X509Certificate server, List<String> changes) {
        this.dir = dir;
        this.ca = ca;
        this.server = server;
        this.changes = List.copyOf(changes);
    }

    /**
     * The gateway's certificates in {@code dataDir}, made or renewed as needed: the CA created if
     * absent; the server certificate (re)issued when absent, when it does not cover
     * {@code identity.hostname()}, when the CA did not sign it, or when fewer than
     * {@value #RENEW_BEFORE_DAYS} days remain at {@code clock}'s now.
     *
     * @throws IdentityException if the files cannot be read or written, or are malformed
     */
    public static GatewayCertificates loadOrCreate(Path dataDir, GatewayIdentity identity, InstantSource clock) {
        return loadOrCreate(dataDir, identity, clock, new SecureRandom());
    }

    /** As {@link #loadOrCreate(Path, GatewayIdentity, InstantSource)}, with the random source for keys and serials. */
    static GatewayCertificates loadOrCreate(Path dataDir, GatewayIdentity identity, InstantSource clock, SecureRandom random) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(clock, "clock");
        Path dir = IdentityFiles.directory(dataDir).resolve(DIRECTORY);
        CertificateIssuer issuer = new CertificateIssuer(random);
        return IdentityFiles.withLock(dataDir, "create the gateway's certificates",
                () -> loadOrCreateLocked(dir, identity, clock.instant(), issuer));
    }

    private static GatewayCertificates loadOrCreateLocked(Path dir, GatewayIdentity identity, Instant now,
            CertificateIssuer issuer) throws IOException {
        IdentityFiles.createOwnerOnlyDirectory(dir);
        List<String> changes = new ArrayList<>();
        Path caPem = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        CertificateIssuer.Issued ca;
        if (Files.exists(caPem) && Files.exists(caKey)) {
            ca = new CertificateIssuer.Issued(Pem.certificates(Files.readString(caPem), caPem).get(0),
                    Pem.ecPrivateKey(Files.readString(caKey), caKey));
            if (ca.certificate().getNotAfter().toInstant().isBefore(now.plus(Duration.ofDays(RENEW_BEFORE_DAYS)))) {
                log.warn("the gateway's CA certificate {} expires {}: remove {} and {} to make a new one, then install "
                        + "the new ca.pem on every device", caPem, ca.certificate().getNotAfter().toInstant(), caPem, caKey);
            }
        } else {
            if (Files.exists(caPem) || Files.exists(caKey)) {
                log.warn("{} has only one of ca.pem and ca.key; making a new CA (devices must trust the new ca.pem)", dir);
            }
            ca = issuer.certificateAuthority(identity.gatewayId(), now.minus(Duration.ofMinutes(BACKDATE_MINUTES)),
                    now.plus(Duration.ofDays(CA_VALIDITY_DAYS)));
            // The key first: a ca.pem present means its key is there too.
            IdentityFiles.writeAtomically(caKey, Pem.privateKey(ca.key()).getBytes(StandardCharsets.US_ASCII));
            IdentityFiles.writeAtomically(caPem, Pem.certificate(ca.certificate()).getBytes(StandardCharsets.US_ASCII));
            Files.deleteIfExists(dir.resolve("server.pem")); // signed by the CA that is gone
            changes.add("created the gateway's CA certificate " + caPem);
            log.info("created the gateway's CA certificate {} (valid {} days)", caPem, CA_VALIDITY_DAYS);
        }

        Path serverPem = dir.resolve("server.pem");
        Path serverKey = dir.resolve("server.key");
        String why = null;
        X509Certificate server = null;
        if (!Files.exists(serverPem) || !Files.exists(serverKey)) {
            why = "there was none";
        } else {
            server = Pem.certificates(Files.readString(serverPem), serverPem).get(0);
            why = reasonToReissue(server, ca.certificate(), identity.hostname(), now);
        }
        if (why != null) {
            Instant notAfter = now.plus(Duration.ofDays(SERVER_VALIDITY_DAYS));
            Instant caEnd = ca.certificate().getNotAfter().toInstant();
            CertificateIssuer.Issued issued = issuer.server(identity.hostname(), ca,
                    now.minus(Duration.ofMinutes(BACKDATE_MINUTES)), notAfter.isAfter(caEnd) ? caEnd : notAfter);
            IdentityFiles.writeAtomically(serverKey, Pem.privateKey(issued.key()).getBytes(StandardCharsets.US_ASCII));
            IdentityFiles.writeAtomically(serverPem, (Pem.certificate(issued.certificate()) + Pem.certificate(ca.certificate()))
                    .getBytes(StandardCharsets.US_ASCII));
            server = issued.certificate();
            changes.add("issued the server certificate for " + identity.hostname() + " (" + why + ")");
            log.info("issued the gateway's server certificate {} for {} ({}); valid until {}", serverPem,
                    identity.hostname(), why, server.getNotAfter().toInstant());
        }
        return new GatewayCertificates(dir, ca.certificate(), server, changes);
    }

    /** Why {@code server} must be reissued, or null if it may stay. */
    static String reasonToReissue(X509Certificate server, X509Certificate ca, String hostname, Instant now) {
        try {
            server.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return "the current CA did not sign it";
        }
        if (!covers(server, hostname)) {
            return "it did not name " + hostname;
        }
        Instant notAfter = server.getNotAfter().toInstant();
        if (notAfter.isBefore(now.plus(Duration.ofDays(RENEW_BEFORE_DAYS)))) {
            return "it expire" + (notAfter.isBefore(now) ? "d " : "s ") + notAfter + ", fewer than "
                    + RENEW_BEFORE_DAYS + " days from now";
        }
        return null;
    }

    /** Whether {@code certificate}'s subject alternative names include {@code hostname} (DNS, or IP for an address). */
    static boolean covers(X509Certificate certificate, String hostname) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        boolean ip = IPAddress.isValid(hostname);
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            String value = String.valueOf(name.get(1));
            if (!ip && type == 2 && value.equalsIgnoreCase(hostname)) {
                return true;
            }
            if (ip && type == 7 && sameAddress(value, hostname)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // Both are literals (checked by the caller, and X.509 stores literals): no lookup happens.
            return IPAddress.isValid(a) && InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (IOException e) {
            return false;
        }
    }

    /** What this {@link #loadOrCreate} call made, one sentence each (empty if nothing), for a command to report. */
    public List<String> changes() {
        return changes;
    }

    /** The CA certificate as PEM text: what devices install to trust the gateway. */
    public String caPem() {
        return Pem.certificate(ca);
    }

    /** {@code identity/certs/ca.pem}: the CA certificate. */
    public Path caCertificateFile() {
        return dir.resolve("ca.pem");
    }

    /** {@code identity/certs/server.pem}: the server certificate followed by the CA certificate. */
    public Path serverCertificateFile() {
        return dir.resolve("server.pem");
    }

    /** {@code identity/certs/server.key}: the server certificate's PKCS#8 PEM private key (owner-only). */
    public Path serverKeyFile() {
        return dir.resolve("server.key");
    }

    /** The gateway's CA certificate. */
    public X509Certificate caCertificate() {
        return ca;
    }

    /** The server certificate the MQTT endpoint presents. */
    public X509Certificate serverCertificate() {
        return server;
    }

    /** The server certificate's private key, read from {@link #serverKeyFile()}. */
    public PrivateKey serverKey() {
        try {
            return Pem.ecPrivateKey(Files.readString(serverKeyFile()), serverKeyFile());
        } catch (IOException e) {
            throw new IdentityException("cannot read " + serverKeyFile() + ": " + e.getMessage(), e);
        }
    }

    /** A TLS client context that trusts the gateway's CA and nothing else (for tests and clients). */
    public SSLContext clientTrustContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("edgefn-gateway-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IdentityException("cannot make a TLS context trusting " + caCertificateFile() + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "GatewayCertificates[" + dir + ", server " + server.getSubjectX500Principal() + " until "
                + server.getNotAfter().toInstant() + "]";
    }
}
