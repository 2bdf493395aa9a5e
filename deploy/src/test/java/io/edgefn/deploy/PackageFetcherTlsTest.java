package io.edgefn.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package repository on HTTPS with a certificate of its own authority (a self-signed one, made
 * with the JDK's keytool): refused with the system trust store alone, fetched when the package's
 * {@code ca} names the certificate, as a file or as PEM text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PackageFetcherTlsTest {

    private static final byte[] JAR = "pretend jar served over TLS".getBytes(StandardCharsets.UTF_8);

    private WireMockServer server;
    private Path certs;
    private String sha;

    @TempDir
    Path dir;

    @BeforeAll
    void startHttpsServer(@TempDir Path keys) throws Exception {
        certs = keys;
        Path keystore = keys.resolve("repo.p12");
        keytool("-genkeypair", "-alias", "repo", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=package repository", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "repo", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", keys.resolve("repo-ca.pem").toString());
        server = new WireMockServer(options().dynamicPort().dynamicHttpsPort().keystorePath(keystore.toString())
                .keystoreType("PKCS12").keystorePassword("changeit").keyManagerPassword("changeit"));
        server.start();
        server.stubFor(get("/pump.jar").willReturn(aResponse().withStatus(200).withBody(JAR)));
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(JAR));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private String url() {
        return "https://localhost:" + server.httpsPort() + "/pump.jar";
    }

    private PackageRef ref(String ca) {
        return new PackageRef("pump", null, url(), sha, JsonNodeFactory.instance.objectNode(), ca);
    }

    @Test
    void https_unknownAuthority_isRefusedNamingTls() {
        PackageStore store = PackageStore.open(dir.resolve("packages"));

        assertThatThrownBy(() -> PackageFetcher.create(PackageFetcher.Options.defaults()).fetch(ref(null), dir, store))
                .isInstanceOf(PackageException.class)
                .hasMessageStartingWith("cannot fetch package pump from " + url() + ": TLS handshake failed: ")
                .hasMessageEndingWith("(is the server's certificate authority in the system trust store or the"
                        + " package's 'ca'?)");
    }

    @Test
    void https_caFileRelativeToTheDeployment_isTrusted() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("packages"));

        Path jar = PackageFetcher.create(PackageFetcher.Options.defaults()).fetch(ref("repo-ca.pem"), certs, store);

        assertThat(Files.readAllBytes(jar)).isEqualTo(JAR);
    }

    @Test
    void https_caPemText_isTrusted() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("packages"));
        String pem = Files.readString(certs.resolve("repo-ca.pem"));

        Path jar = PackageFetcher.create(PackageFetcher.Options.defaults()).fetch(ref(pem), dir, store);

        assertThat(Files.readAllBytes(jar)).isEqualTo(JAR);
    }
}
