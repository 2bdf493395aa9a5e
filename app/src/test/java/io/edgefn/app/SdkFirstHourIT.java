package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.runtime.UpstreamRecords;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function author's first hour, as the guide tells it: {@code edgefn sdk install} into a fresh
 * local repository, {@code edgefn new} with {@code --package com.example.fns}, {@code mvn package}
 * in the generated project (offline, against that repository, third-party artifacts read from the
 * build's own repository through a {@code file://} mirror so it is never written), its sample test
 * passing; a rebuild gives a jar with the same SHA-256; then the built package in a real host with
 * the generated deployment: a hot reading from a device reaches {@code $upstream}, a cool one does
 * not.
 */
class SdkFirstHourIT {

    @RegisterExtension
    final StdoutCapture stdout = StdoutCapture.stdoutPerTest();

    @TempDir
    Path tmp;

    @Test
    void sdkInstall_new_mvnPackage_thenTheHostForwardsOnlyHotReadings() throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(EdgefnCommand.execute("sdk", "install", "--repository", repo.toString())).isZero();
        assertThat(repo.resolve("io/edgefn/edgefn-bom/0.1.0-SNAPSHOT/edgefn-bom-0.1.0-SNAPSHOT.pom")).isRegularFile();
        assertThat(repo.resolve("io/edgefn/edgefn-test/0.1.0-SNAPSHOT/edgefn-test-0.1.0-SNAPSHOT.jar")).isRegularFile();

        Path project = tmp.resolve("my-fns");
        assertThat(EdgefnCommand.execute("new", project.toString(), "--package", "com.example.fns")).isZero();
        assertThat(project.resolve("src/main/java/com/example/fns/TemperatureFilter.java")).isRegularFile();
        assertThat(project.resolve("src/test/java/com/example/fns/TemperatureFilterTest.java")).isRegularFile();
        assertThat(Files.readString(project.resolve("pom.xml")))
                .as("the guide shows exactly the generated pom").isEqualTo(guidePom());

        mvn(project, repo, "package");
        assertThat(project.resolve("target/surefire-reports/TEST-com.example.fns.TemperatureFilterTest.xml"))
                .content().contains("tests=\"2\"").contains("failures=\"0\"").contains("errors=\"0\"");
        Path jar = project.resolve("target/my-fns-1.0.0-SNAPSHOT.jar");
        String firstBuild = sha256(jar);
        mvn(project, repo, "clean", "package", "-Dmaven.test.skip=true");
        assertThat(sha256(jar)).as("the same source builds the same jar").isEqualTo(firstBuild);

        Deployment deployment = Deployment.read(project.resolve("deployment.json"));
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(tmp.resolve("data")).build().start()) {
            host.submit(json("{\"temperature\": 99}"), MessageOrigin.localDevice("sensor-1")).get(10, TimeUnit.SECONDS);
            host.submit(json("{\"temperature\": 10}"), MessageOrigin.localDevice("sensor-1")).get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(
                    () -> host.stats().functions().get("temperature-filter").invocations() == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> !host.buffer().peek(UpstreamRecords.CURSOR, 10).isEmpty());
            List<BufferedRecord> held = host.buffer().peek(UpstreamRecords.CURSOR, 10);
            assertThat(held).hasSize(1);
            Message up = UpstreamRecords.decode(held.get(0).payload());
            assertThat(up.bodyAsString()).isEqualTo("{\"temperature\": 99}");
            assertThat(up.source()).isEqualTo("/messages/modules/temperature-filter/outputs/out");
            assertThat(host.stats().functions().get("temperature-filter").failures()).isZero();
        }
    }

    private static Message json(String body) {
        return Message.builder().body(body).systemProperty("contentType", "application/json")
                .systemProperty("contentEncoding", "utf-8").build();
    }

    /** The pom block of docs/writing-functions.md, which promises to be what {@code new} generates. */
    private static String guidePom() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "writing-functions.md"));
        Matcher m = Pattern.compile("<!-- generated pom -->\\s*```xml\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertThat(m.find()).as("docs/writing-functions.md has the generated pom after <!-- generated pom -->").isTrue();
        return m.group(1);
    }

    /** Runs the mvn on the PATH in {@code project}, offline, against {@code repo} seeded read-only from the build's. */
    private void mvn(Path project, Path repo, String... goals) throws Exception {
        String seed = System.getProperty("edgefn.seedRepository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror><id>seed</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(Path.of(seed).toUri()));
        List<String> command = new ArrayList<>(List.of(findMvn(), "-B", "-o", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, "-Daether.offline.protocols=file"));
        command.addAll(List.of(goals));
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("mvn.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow");
        Process process = pb.start();
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mvn " + String.join(" ", goals) + " in " + project + " took over 150 s; its log:\n"
                    + Files.readString(tmp.resolve("mvn.log")));
        }
        assertThat(process.exitValue()).as("mvn %s in the generated project; its log:%n%s", String.join(" ", goals),
                Files.readString(tmp.resolve("mvn.log"))).isZero();
    }

    private static String findMvn() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path mvn = Path.of(dir, "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn.toString();
            }
        }
        throw new AssertionError("this test builds the generated project with Maven, but there is no mvn on the PATH");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
