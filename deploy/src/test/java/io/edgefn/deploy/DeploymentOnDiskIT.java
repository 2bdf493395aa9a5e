package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenarios of a gateway reading a deployment and its package jars from its data directory. */
class DeploymentOnDiskIT {

    @TempDir
    Path dataDir;

    private Path writeSynced(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        return file;
    }

    @Test
    void deploymentWithALocalPackage_isReadResolvedAndItsJarCheckedAgainstTheDeclaredHash() throws IOException {
        Path jar = FunctionPackageTest.packageJar(Files.createDirectories(dataDir.resolve("packages")).resolve("echo.jar"),
                FunctionPackageTest.ECHO, FunctionPackageTest.INDEX);
        Path file = writeSynced(dataDir.resolve("deployments/current.json"), """
                {"schemaVersion": "edgefn/1", "version": "7",
                 "packages": {"echo": {"file": "../packages/echo.jar", "sha256": "%s", "settings": {"prefix": ">"}}},
                 "routes": {"in": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/echo/inputs/in\\")",
                            "up": {"route": "FROM /messages/modules/echo/outputs/out INTO $upstream", "priority": 1}}}
                """.formatted(FunctionPackageTest.sha256(jar)));

        Deployment deployment = Deployment.read(file);
        Map<String, FunctionPackage> loaded = new LinkedHashMap<>();
        deployment.packages().forEach((name, ref) -> loaded.put(name,
                FunctionPackage.open(deployment.resolve(ref), ref.sha256())));

        assertThat(deployment.baseDirectory()).isEqualTo(dataDir.resolve("deployments").toAbsolutePath());
        assertThat(loaded.get("echo").jar()).isEqualTo(jar.toAbsolutePath().normalize());
        assertThat(loaded.get("echo").index().function("echo").inputs()).containsExactly("in");
        assertThat(deployment.routes()).extracting(RouteEntry::priority).containsExactly(null, 1);
    }

    @Test
    void jarReplacedAfterTheDeploymentWasWritten_isRefusedBeforeAnyOfItsCodeRuns() throws IOException {
        Path jar = FunctionPackageTest.packageJar(dataDir.resolve("echo.jar"), FunctionPackageTest.ECHO,
                FunctionPackageTest.INDEX);
        String declared = FunctionPackageTest.sha256(jar);
        Path file = writeSynced(dataDir.resolve("deploy.json"),
                "{\"packages\": {\"echo\": {\"file\": \"echo.jar\", \"sha256\": \"" + declared + "\"}}, \"routes\": {}}");
        FunctionPackageTest.packageJar(jar, """
                package com.example;
                public class Echo { public String onMessage(String body) { System.exit(1); return body; } }""",
                FunctionPackageTest.INDEX);

        Deployment deployment = Deployment.read(file);
        PackageRef ref = deployment.packages().get("echo");

        assertThatThrownBy(() -> FunctionPackage.open(deployment.resolve(ref), ref.sha256()))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("but the deployment expects " + declared);
    }

    @Test
    void missingDeploymentFile_isReportedAsOneProblemNamingTheFile() {
        Path missing = dataDir.resolve("nope.json");

        assertThatThrownBy(() -> Deployment.read(missing))
                .isInstanceOf(DeploymentException.class)
                .hasMessage("deployment " + missing + " is invalid (1 problem):\n  " + missing
                        + ": cannot read the deployment file: there is no such file");
    }

    @Test
    void brokenDeploymentFile_pointsAtTheLineAndColumnInThatFile() throws IOException {
        Path file = writeSynced(dataDir.resolve("deploy.json"), "{\n  \"routes\": {\n    \"up\": FROM\n  }\n}\n");

        assertThatThrownBy(() -> Deployment.read(file))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(file + ":3:16: malformed JSON: Unrecognized token 'FROM'");
    }
}
