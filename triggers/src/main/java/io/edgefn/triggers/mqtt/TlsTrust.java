package io.edgefn.triggers.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** TLS for an {@code mqtts} broker with its own certificate authority. Stateless. */
public final class TlsTrust {

    private TlsTrust() {
    }

    /**
     * A socket factory trusting exactly the certificates of the PEM file {@code ca}.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
     */
    public static SSLSocketFactory trusting(Path ca) {
        try (InputStream in = Files.newInputStream(ca)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("CA file " + ca + " holds no PEM certificate");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read CA file " + ca + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CA file " + ca + " is not a PEM certificate list: " + e.getMessage(), e);
        }
    }
}
