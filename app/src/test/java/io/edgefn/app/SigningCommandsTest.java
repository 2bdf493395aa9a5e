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
        String keyId = CliRun.ok("keys", "generate", "--out", dir.resolve("keys").toString()).out().trim();
        assertThat(keyId).matches("ed25519:[0-9a-f]{16}");
        assertThat(CliRun.ok("sign", "--key", dir.resolve("keys/signing.key").toString(), deployment.toString()).out())
                .contains("signed " + deployment + " with " + keyId);
        assertThat(CliRun.ok("trust", "add", dir.resolve("keys/signing.pub").toString(), "--data-dir", gateway.toString()).out())
                .contains("trusted " + keyId);
        assertThat(CliRun.ok("trust", "list", "--data-dir", gateway.toString()).out().trim()).isEqualTo(keyId);
        assertThat(CliRun.ok("route-check", "--deployment", deployment.toString()).out())
                .contains("signed by " + keyId).contains("1 route OK");
    }

    @Test
    void runRefusesUnsignedAndTamperedDeploymentsOnAGatewayThatTrustsAKey() throws IOException {
        CliRun.ok("keys", "generate", "--out", dir.resolve("keys").toString());
        CliRun.ok("trust", "add", dir.resolve("keys/signing.pub").toString(), "--data-dir", gateway.toString());

        CliRun unsigned = CliRun.run("run", "--deployment", deployment.toString(), "--data-dir", gateway.toString());
        assertThat(unsigned.status()).isNotZero();
        assertThat(unsigned.err()).contains("it is not signed").contains("--allow-unsigned");

        CliRun.ok("sign", "--key", dir.resolve("keys/signing.key").toString(), deployment.toString());
        Files.writeString(deployment, Files.readString(deployment).replace("\"1\"", "\"2\""));
        CliRun tampered = CliRun.run("run", "--deployment", deployment.toString(), "--data-dir", gateway.toString(), "--allow-unsigned");
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
        CliRun.ok("keys", "generate", "--out", dir.resolve("keys").toString());
        CliRun.ok("sign", "--key", dir.resolve("keys/signing.key").toString(), deployment.toString());
        assertThat(Files.readString(deployment)).contains("\"sha256\"");
        Files.writeString(dir.resolve("packages/extra.jar"), "changed after signing");

        CliRun check = CliRun.run("route-check", "--deployment", deployment.toString());
        assertThat(check.status()).isNotZero();
        assertThat(check.out() + check.err()).contains("packages.extra.sha256").contains("the whole deployment is refused");
        CliRun start = CliRun.run("run", "--deployment", deployment.toString(), "--data-dir", gateway.toString());
        assertThat(start.status()).isNotZero();
        assertThat(start.err()).contains("packages.extra.sha256");
    }

    @Test
    void signRefusesAKeyWithoutItsPublicHalfBesideIt() throws IOException {
        CliRun.ok("keys", "generate", "--out", dir.resolve("keys").toString());
        Files.delete(dir.resolve("keys/signing.pub"));
        CliRun run = CliRun.run("sign", "--key", dir.resolve("keys/signing.key").toString(), deployment.toString());
        assertThat(run.status()).isNotZero();
        assertThat(run.err()).contains("signing.pub").contains("beside the private one");
    }
}
