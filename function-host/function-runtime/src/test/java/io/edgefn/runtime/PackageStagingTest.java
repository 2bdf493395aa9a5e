package io.edgefn.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.DeploymentException;
import io.edgefn.deploy.PackageHashes;
import io.edgefn.runtime.internal.DeploymentPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a starting host keeps a deployment's packages: in the data directory's content-addressed
 * store ({@code packages/sha256/<hash>.jar}), copied from local files or fetched from {@code url}s,
 * verified there and loaded from there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageStagingTest {

    private static final String ECHO = """
            package t;
            import io.edgefn.api.*;
            @EdgeFunction("echo")
            public class Echo {
                @RouteTrigger(input = "in") @SendTo("out")
                public String onMessage(String body) { return "echo " + body; }
            }""";

    private Path jar;
    private byte[] jarBytes;
    private String sha;
    private WireMockServer server;

    @TempDir
    Path dir;

    @BeforeAll
    void buildAndServe(@TempDir Path build) throws Exception {
        jar = TestPackages.build(build, "echo", Map.of("t.Echo", ECHO));
        jarBytes = Files.readAllBytes(jar);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jarBytes));
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterAll
    void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    private Deployment deployment(String packageJson) {
        String json = "{\"packages\": {\"echo\": " + packageJson + "}, \"routes\": {\"r\": \"FROM /messages/* INTO BrokeredEndpoint(\\\"/modules/echo/inputs/in\\\")\"}}";
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "test deployment", dir);
    }

    private Deployment fileDeployment(Path file, String declaredSha) {
        return deployment("{\"file\": \"" + file.toString().replace("\\", "\\\\") + "\""
                + (declaredSha == null ? "" : ", \"sha256\": \"" + declaredSha + "\"") + "}");
    }

    private Deployment urlDeployment(String url, String declaredSha) {
        return deployment("{\"url\": \"" + url + "\", \"sha256\": \"" + declaredSha + "\"}");
    }

    @Test
    void localFile_isCopiedIntoTheStore_andLoadedFromThere_notFromTheUsersFile() throws IOException {
        Path user = Files.copy(jar, dir.resolve("echo.jar"));
        Path packages = dir.resolve("data/packages");

        DeploymentPlan plan = DeploymentPlan.inspect(fileDeployment(user, null), packages);

        Path stored = packages.resolve("sha256/" + sha + ".jar");
        assertThat(plan.packages().get("echo").jar()).isEqualTo(stored);
        assertThat(stored).hasBinaryContent(jarBytes);
        assertThat(packages.resolve("echo.jar")).as("no copy by package name any more").doesNotExist();

        Files.writeString(user, "the user rebuilt it into something else");
        assertThat(stored).as("the stored copy does not follow the user's file").hasBinaryContent(jarBytes);
    }

    @Test
    void secondStart_reusesTheStoredCopy() throws IOException {
        Path user = Files.copy(jar, dir.resolve("echo.jar"));
        Path packages = dir.resolve("data/packages");
        DeploymentPlan.inspect(fileDeployment(user, sha), packages);
        Path stored = packages.resolve("sha256/" + sha + ".jar");
        var marked = java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(stored).toMillis() - 60_000);
        Files.setLastModifiedTime(stored, marked);

        DeploymentPlan plan = DeploymentPlan.inspect(fileDeployment(user, sha), packages);

        assertThat(plan.packages().get("echo").jar()).isEqualTo(stored);
        assertThat(Files.getLastModifiedTime(stored)).as("not written again").isEqualTo(marked);
    }

    @Test
    void corruptStoredCopy_isFoundByHashing_andStoredAgainFromTheFile() throws IOException {
        Path user = Files.copy(jar, dir.resolve("echo.jar"));
        Path packages = dir.resolve("data/packages");
        DeploymentPlan.inspect(fileDeployment(user, sha), packages);
        Path stored = packages.resolve("sha256/" + sha + ".jar");
        byte[] corrupt = jarBytes.clone();
        corrupt[corrupt.length / 2] ^= 1;
        Files.write(stored, corrupt);

        DeploymentPlan plan = DeploymentPlan.inspect(fileDeployment(user, sha), packages);

        assertThat(plan.packages().get("echo").jar()).isEqualTo(stored);
        assertThat(stored).hasBinaryContent(jarBytes);
    }

    @Test
    void changedFile_isRefused_evenWhenTheStoreHoldsTheDeclaredHash() throws IOException {
        Path user = Files.copy(jar, dir.resolve("echo.jar"));
        Path packages = dir.resolve("data/packages");
        DeploymentPlan.inspect(fileDeployment(user, sha), packages);
        Files.writeString(user, "changed since it was signed");
        Deployment changed = fileDeployment(user, sha);

        assertThatThrownBy(() -> PackageHashes.verify(changed)).isInstanceOf(DeploymentException.class)
                .hasMessageContaining("has SHA-256 ").hasMessageContaining("not the declared " + sha);
        assertThatThrownBy(() -> DeploymentPlan.inspect(changed, packages)).isInstanceOf(HostException.class)
                .hasMessageContaining("packages.echo.file: package " + user + " has SHA-256 ")
                .hasMessageContaining("but the deployment expects " + sha);
    }

    @Test
    void urlPackage_isFetchedIntoTheStore_thenDeploysWithoutTheNetwork() {
        server.stubFor(get("/repo/echo.jar").willReturn(aResponse().withStatus(200).withBody(jarBytes)));
        Path packages = dir.resolve("data/packages");
        String url = server.baseUrl() + "/repo/echo.jar";

        DeploymentPlan first = DeploymentPlan.inspect(urlDeployment(url, sha), packages);
        assertThat(first.packages().get("echo").jar()).isEqualTo(packages.resolve("sha256/" + sha + ".jar"));
        assertThat(first.functions()).containsOnlyKeys("echo");

        server.resetAll(); // the repository now answers 404 to everything: as good as offline
        DeploymentPlan again = DeploymentPlan.inspect(urlDeployment(url, sha), packages);

        assertThat(again.packages().get("echo").jar()).isEqualTo(packages.resolve("sha256/" + sha + ".jar"));
        server.verify(0, getRequestedFor(urlEqualTo("/repo/echo.jar")));
    }

    @Test
    void urlPackage_notFound_refusesTheDeploymentNamingPackageUrlAndStatus() {
        String url = server.baseUrl() + "/repo/missing.jar";

        assertThatThrownBy(() -> DeploymentPlan.inspect(urlDeployment(url, sha), dir.resolve("data/packages")))
                .isInstanceOf(HostException.class)
                .hasMessage("deployment test deployment cannot be loaded:\n  - packages.echo.url: cannot fetch package echo"
                        + " from " + url + ": the server answered 404 (Not Found): there is no package at that URL");
    }

    @Test
    void urlPackage_withoutADataDirectory_isFetchedForTheCheckOnly() throws IOException {
        server.stubFor(get("/repo/echo.jar").willReturn(aResponse().withStatus(200).withBody(jarBytes)));

        var table = EdgeHost.checkRoutes(urlDeployment(server.baseUrl() + "/repo/echo.jar", sha));

        assertThat(table.routes()).hasSize(1);
        server.verify(1, getRequestedFor(urlEqualTo("/repo/echo.jar")));
    }
}
