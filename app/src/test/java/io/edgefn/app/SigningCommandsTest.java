package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn keys generate}, {@code sign}, {@code trust add}, and how {@code run} and
 * {@code route-check} treat signatures and package hashes — all refusals happen before a gateway
 * starts, so no host runs here.
 */
class SigningCommandsTest {

    @TempDir
    Path dir;
    Path deployment;
    Path gateway;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        try (StdoutCapture capture = StdoutCapture.stdoutAndStderr()) {
            int status = EdgefnCommand.execute(args);
            return new Run(status, capture.out(), capture.err());
        }
    }

    private static Run ok(String... args) {
        Run run = run(args);
        assertThat(run.status()).as("exit status of %s; stderr: %s", List.of(args), run.err()).isZero();
        return run;
    }

    @BeforeEach
    void setUp() throws IOException {
        gateway = dir.resolve("gateway");
        Files.createDirectories(dir.resolve("packages"));
        Files.writeString(dir.resolve("packages/extra.jar"), "not really a jar");
        deployment = dir.resolve("deployment.json");
        Files.writeString(deployment, """
                {"schemaVersion": "edgefn/1", "version": "1",
                 "modules": {"historian": {"inputs": ["in"]}},
                 "routes": {"r": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/historian/inputs/in\\")"}}
                """);
    }

    @Test
    void generateSignTrustThenRouteCheckShowsTheSigner() {
        String keyId = ok("keys", "generate", "--out", dir.resolve("keys").toString()).out().trim();
        assertThat(keyId).matches("ed25519:[0-9a-f]{16}");
        assertThat(ok("sign", "--key", dir.resolve("keys/signing.key").toString(), deployment.toString()).out())
                .contains("signed " + deployment + " with " + keyId);
        assertThat(ok("trust", "add", dir.resolve("keys/signing.pub").toString(), "--data-dir", gateway.toString()).out())
                .contains("trusted " + keyId);
        assertThat(ok("trust", "list", "--data-dir", gateway.toString()).out().trim()).isEqualTo(keyId);
        assertThat(ok("route-check", "--deployment", deployment.toString()).out())
                .contains("signed by " + keyId).contains("1 route OK");
    }

    @Test
    void runRefusesUnsignedAndTamperedDeploymentsOnAGatewayThatTrustsAKey() throws IOException {
        ok("keys", "generate", "--out", dir.resolve("keys").toString());
        ok("trust", "add", dir.resolve("keys/signing.pub").toString(), "--data-dir", gateway.toString());

        Run unsigned = run("run", "--deployment", deployment.toString(), "--data-dir", gateway.toString());
        assertThat(unsigned.status()).isNotZero();
        assertThat(unsigned.err()).contains("it is not signed").contains("--allow-unsigned");

        ok("sign", "--key", dir.resolve("keys/signing.key").toString(), deployment.toString());
        Files.writeString(deployment, Files.readString(deployment).replace("\"1\"", "\"2\""));
        Run tampered = run("run", "--deployment", deployment.toString(), "--data-dir", gateway.toString(), "--allow-unsigned");
        assertThat(tampered.status()).isNotZero();
        assertThat(tampered.err()).contains("does not match its content");
    }

    @Test
    void aPackageFileThatChangedAfterSigningRefusesTheDeploymentEverywhere() throws IOException {
        Files.writeString(deployment, """
                {"schemaVersion": "edgefn/1", "version": "1",
                 "packages": {"extra": {"file": "packages/extra.jar"}},
                 "routes": {}}
                """);
        ok("keys", "generate", "--out", dir.resolve("keys").toString());
        ok("sign", "--key", dir.resolve("keys/signing.key").toString(), deployment.toString());
        assertThat(Files.readString(deployment)).contains("\"sha256\"");
        Files.writeString(dir.resolve("packages/extra.jar"), "changed after signing");

        Run check = run("route-check", "--deployment", deployment.toString());
        assertThat(check.status()).isNotZero();
        assertThat(check.out() + check.err()).contains("packages.extra.sha256").contains("the whole deployment is refused");
        Run start = run("run", "--deployment", deployment.toString(), "--data-dir", gateway.toString());
        assertThat(start.status()).isNotZero();
        assertThat(start.err()).contains("packages.extra.sha256");
    }

    @Test
    void signRefusesAKeyWithoutItsPublicHalfBesideIt() throws IOException {
        ok("keys", "generate", "--out", dir.resolve("keys").toString());
        Files.delete(dir.resolve("keys/signing.pub"));
        Run run = run("sign", "--key", dir.resolve("keys/signing.key").toString(), deployment.toString());
        assertThat(run.status()).isNotZero();
        assertThat(run.err()).contains("signing.pub").contains("beside the private one");
    }
}
