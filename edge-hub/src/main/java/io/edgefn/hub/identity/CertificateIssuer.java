package io.edgefn.hub.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Makes the gateway's P-256 keys and its two kinds of certificate with BouncyCastle: the CA
 * ({@code CA:true}, keyCertSign) and a server certificate it signs (SANs, serverAuth). Signatures
 * are ECDSA with SHA-256. Stateless apart from its random source; thread-safe as that is.
 */
final class CertificateIssuer {
    private static final String SIGNATURE = "SHA256withECDSA";

    /** A certificate and its private key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private final SecureRandom random;

    CertificateIssuer(SecureRandom random) {
        this.random = random;
    }

    /** A self-signed CA certificate valid from {@code notBefore} to {@code notAfter}. */
    Issued certificateAuthority(String gatewayId, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keys = newKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "edgefn")
                    .addRDN(BCStyle.CN, "edgefn gateway CA " + gatewayId).build();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notAfter), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IdentityException("cannot create the gateway's CA certificate: " + e, e);
        }
    }

    /**
     * A server certificate for {@code hostname} signed by {@code ca}: SANs DNS {@code hostname}, DNS
     * {@code localhost}, IP 127.0.0.1, and IP {@code hostname} when it is an IP address.
     */
    Issued server(String hostname, Issued ca, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keys = newKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "edgefn")
                    .addRDN(BCStyle.CN, hostname).build();
            X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore),
                    Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(hostname))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()));
            return new Issued(sign(builder, ca.key()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IdentityException("cannot issue the gateway's server certificate for " + hostname + ": " + e, e);
        }
    }

    private static GeneralNames subjectAlternativeNames(String hostname) {
        boolean ip = IPAddress.isValid(hostname);
        java.util.List<GeneralName> names = new java.util.ArrayList<>();
        if (!ip) {
            names.add(new GeneralName(GeneralName.dNSName, hostname));
        }
        if (!"localhost".equalsIgnoreCase(hostname)) {
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        }
        if (ip && !"127.0.0.1".equals(hostname)) {
            names.add(new GeneralName(GeneralName.iPAddress, hostname));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    /** A positive 127-bit serial number (RFC 5280 allows up to 20 octets). */
    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    }
}
