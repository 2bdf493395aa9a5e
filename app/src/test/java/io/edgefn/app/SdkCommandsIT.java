package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn sdk install} and {@code edgefn new} on their own: what they write and how they
 * refuse. An IT because both read the jars the build's package phase makes.
 */
class SdkCommandsIT {

    @RegisterExtension
    final StdoutCapture output = StdoutCapture.stdoutAndStderrPerTest();

    @TempDir
    Path tmp;

    @Test
    void sdkInstall_twice_leavesTheSameFilesAndListsTheVersionOnce() throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(EdgefnCommand.execute("sdk", "install", "--repository", repo.toString())).isZero();
        assertThat(output.out()).contains("installed edgefn 0.1.0-SNAPSHOT's SDK into " + repo)
                .contains("io.edgefn:edgefn-archetype:0.1.0-SNAPSHOT");
        byte[] api = Files.readAllBytes(repo.resolve("io/edgefn/edgefn-api/0.1.0-SNAPSHOT/edgefn-api-0.1.0-SNAPSHOT.jar"));

        assertThat(EdgefnCommand.execute("sdk", "install", "--repository", repo.toString())).isZero();

        assertThat(repo.resolve("io/edgefn/edgefn-api/0.1.0-SNAPSHOT/edgefn-api-0.1.0-SNAPSHOT.jar")).hasBinaryContent(api);
        assertThat(repo.resolve("io/edgefn/edgefn-parent/0.1.0-SNAPSHOT/edgefn-parent-0.1.0-SNAPSHOT.pom")).isRegularFile();
        String metadata = Files.readString(repo.resolve("io/edgefn/edgefn-processor/maven-metadata-local.xml"));
        assertThat(metadata.split("<version>0.1.0-SNAPSHOT</version>", -1)).hasSize(2);
        try (var files = Files.walk(repo)) {
            assertThat(files.filter(f -> f.toString().endsWith(".part"))).as("no temporary file left").isEmpty();
        }
    }

    @Test
    void new_intoADirectoryWithFiles_refusesAndWritesNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThat(EdgefnCommand.execute("new", dir.toString())).isEqualTo(1);

        assertThat(output.err()).contains("edgefn new: " + dir + " already exists and is not empty; give a new directory");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
    }

    @Test
    void new_withAPackageThatIsNotJava_saysWhatIsExpected() {
        assertThat(EdgefnCommand.execute("new", tmp.resolve("p").toString(), "--package", "com.example.1fns")).isEqualTo(1);
        assertThat(output.err()).contains("--package com.example.1fns is not a Java package name such as com.example.fns");
    }

    @Test
    void new_withTheDefaults_generatesTheSampleUnderTheDefaultPackage() throws Exception {
        Path dir = tmp.resolve("fns");
        assertThat(EdgefnCommand.execute("new", dir.toString())).isZero();

        assertThat(dir.resolve("src/main/java/com/example/functions/TemperatureFilter.java")).content()
                .startsWith("package com.example.functions;");
        assertThat(dir.resolve("pom.xml")).content().contains("<artifactId>fns</artifactId>")
                .contains("<edgefn.version>0.1.0-SNAPSHOT</edgefn.version>");
        assertThat(dir.resolve("deployment.json")).content()
                .contains("\"file\": \"target/fns-1.0.0-SNAPSHOT.jar\"")
                .contains("NOT IS_DEFINED($connectionModuleId)");
    }
}
