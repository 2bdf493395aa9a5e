package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the device tests do as a user of the command line would: run {@code edgefn} commands and
 * read what they print, add identities, trust the CA {@code certs export} printed.
 */
final class GatewayCli {

    private GatewayCli() {
    }

    /** Runs {@code edgefn args…} in this JVM, asserts it exits 0, and returns its stdout, trimmed. */
    static String run(String... args) throws Exception {
        try (StdoutCapture out = StdoutCapture.stdout()) {
            assertThat(EdgefnCommand.execute(args)).as("edgefn %s", String.join(" ", args)).isZero();
            return out.out().trim();
        }
    }

    /** {@code edgefn devices add id more…} for gateway {@code gatewayId} on {@code localhost}; the connection string. */
    static String addIdentity(Path data, String gatewayId, String id, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("devices", "add", id, "--data-dir", data.toString(),
                "--gateway-id", gatewayId, "--hostname", "localhost"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** A TLS context that trusts only the CA certificate {@code pem}, as a device configured with it would. */
    static SSLContext trusting(String pem) throws Exception {
        Certificate ca = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("edgefn-gateway-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
