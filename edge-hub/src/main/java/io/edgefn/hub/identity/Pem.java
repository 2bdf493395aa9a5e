package io.edgefn.hub.identity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM text of certificates and PKCS#8 private keys ({@code -----BEGIN PRIVATE KEY-----}, the form
 * Vert.x {@code PemKeyCertOptions} and OpenSSL read).
 */
final class Pem {
    private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final String END_KEY = "-----END PRIVATE KEY-----";

    private Pem() {
    }

    /** A certificate as PEM text, ending with a newline. */
    static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IdentityException("cannot encode certificate " + certificate.getSubjectX500Principal() + ": " + e, e);
        }
    }

    /** A private key as PKCS#8 PEM text, ending with a newline. */
    static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IdentityException("private key is encoded as " + key.getFormat() + ", not PKCS#8");
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * The certificates in PEM text, in order.
     *
     * @param where the file the text came from, for messages
     */
    static List<X509Certificate> certificates(String text, Path where) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : factory.generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IdentityException(where + " holds no PEM certificate");
            }
            return out;
        } catch (CertificateException e) {
            throw new IdentityException(where + " does not hold valid PEM certificates: " + e.getMessage(), e);
        }
    }

    /**
     * The EC private key in PKCS#8 PEM text.
     *
     * @param where the file the text came from, for messages
     */
    static PrivateKey ecPrivateKey(String text, Path where) {
        int begin = text.indexOf(BEGIN_KEY);
        int end = text.indexOf(END_KEY);
        if (begin < 0 || end < begin) {
            throw new IdentityException(where + " holds no PKCS#8 PEM private key (" + BEGIN_KEY + ")");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN_KEY.length(), end));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IdentityException(where + " does not hold a valid EC private key: " + e.getMessage(), e);
        }
    }
}
