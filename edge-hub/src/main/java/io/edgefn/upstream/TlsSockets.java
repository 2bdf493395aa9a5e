package io.edgefn.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds the TLS socket factory of an {@code mqtts} upstream: trust from {@code ca=} (else the
 * JDK's default trust), and a client certificate from {@code certificate=}/{@code privateKey=}
 * PEM files (PKCS#8 or traditional RSA/EC keys, unencrypted).
 *
 * <p>Package-private and stateless.
 */
final class TlsSockets {

    private TlsSockets() {
    }

    /**
     * The socket factory for {@code config}, or null when the JDK's defaults do (no CA, no client certificate).
     *
     * @throws UpstreamConfigException when a PEM file cannot be read
     */
    static SSLSocketFactory socketFactory(UpstreamConfig config) {
        if (config.ca() == null && config.certificate() == null) {
            return null;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (config.ca() != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(config.ca(), "ca")) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (config.certificate() != null) {
                Collection<? extends Certificate> chain = certificates(config.certificate(), "certificate");
                PrivateKey key = privateKey(config.privateKey());
                char[] none = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", key, none, chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new UpstreamConfigException("upstream TLS setup failed: " + e.getMessage());
        }
    }

    private static Collection<? extends Certificate> certificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new UpstreamConfigException("upstream auth: " + what + " file " + file + " holds no PEM certificate");
            }
            return certs;
        } catch (GeneralSecurityException | IOException e) {
            throw new UpstreamConfigException("upstream auth: " + what + " file " + file + " is not a PEM certificate: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new UpstreamConfigException("upstream auth: privateKey file " + file + " holds "
                    + (o == null ? "no PEM object" : "a " + o.getClass().getSimpleName())
                    + "; expected an unencrypted PEM private key");
        } catch (IOException e) {
            throw new UpstreamConfigException("upstream auth: privateKey file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
