package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.Message;
import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.buffer.BufferOptions;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn status} and {@code edgefn buffer peek} look at a gateway's buffer without changing
 * it: not a byte of a damaged store, not the lock, not beside a running host; and they find a demo's
 * host data in {@code D/host}.
 */
class ReadOnlyCommandsTest {
    private static final int RECORDS = 341;

    @TempDir
    Path dir;

    /** Every file under {@code root} by relative path, with the SHA-256 of its bytes. */
    private static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    /** What a command prints (standard output), with its exit status checked. */
    private static String run(String... args) {
        try (StdoutCapture out = StdoutCapture.stdout()) {
            int status = EdgefnCommand.execute(args);
            assertThat(status).as("exit status of %s; printed %s", List.of(args), out.out()).isZero();
            return out.out();
        }
    }

    /**
     * A host data directory whose host stopped (its lock file names a pid) with {@link #RECORDS}
     * records held for upstream in 16 KiB segments (119 a segment), the newest segment then zeroed.
     */
    private static void damagedHostData(Path data) throws Exception {
        Path buffer = data.resolve("buffer");
        try (OfflineBuffer b = OfflineBuffer.open(buffer, BufferOptions.builder().segmentBytes(16384).build())) {
            b.cursor("$upstream");
            List<CompletableFuture<Long>> appended = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                byte[] payload = new byte[100]; // framed to 137 bytes
                byte[] text = ("reading " + i).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(text, 0, payload, 0, text.length);
                appended.add(b.append(payload, 10, 0));
            }
            for (CompletableFuture<Long> f : appended) {
                f.get();
            }
        }
        Files.writeString(data.resolve("lock"), "4242");
        try (Stream<Path> s = Files.list(buffer.resolve("p10"))) {
            Path newest = s.sorted().reduce((a, b) -> b).orElseThrow();
            try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
                f.write(new byte[(int) f.length()]);
            }
        }
    }

    @Test
    void status_onADamagedBufferWithNoHost_reportsWhatRecoveryWouldFindAndChangesNoFile() throws Exception {
        damagedHostData(dir);
        Map<String, String> before = hashes(dir);

        String printed = run("status", "--data-dir", dir.toString());
        assertThat(printed).contains("no host is running").contains("read-only").contains("corrupt 103")
                .contains("cursor $upstream").contains("depth 238");
        JsonNode json = new ObjectMapper().readTree(run("status", "--data-dir", dir.toString(), "--json"));
        assertThat(json.path("droppedCorrupt").asLong()).isEqualTo(103);
        assertThat(json.path("cursors").get(0).path("depth").asLong()).isEqualTo(238);
        String peeked = run("buffer", "peek", "--data-dir", dir.toString(), "--limit", "2");
        assertThat(peeked).contains("238 record(s) held, the first 2 shown");

        assertThat(hashes(dir)).as("every file byte-identical, none added or removed").isEqualTo(before);
    }

    @Test
    void status_ofADemosDataDirectory_showsTheBufferOfItsHost() throws Exception {
        // The demo's layout: its package and ptys in D, its host's data in D/host.
        Files.createDirectories(dir.resolve("packages"));
        Files.write(dir.resolve("packages/pump-functions.jar"), new byte[] {0x50, 0x4b});
        damagedHostData(dir.resolve("host"));
        Map<String, String> before = hashes(dir);

        String printed = run("status", "--data-dir", dir.toString());
        assertThat(printed).contains("a demo's directory").contains(dir.resolve("host").toString())
                .contains("cursor $upstream").contains("depth 238");
        assertThat(hashes(dir)).isEqualTo(before);
    }

    @Test
    void bufferPeek_besideARunningHost_printsTheHeldMessagesAndWritesNothing() throws Exception {
        Path data = dir.resolve("data");
        Deployment deployment = Deployment.parse("""
                {"routes": {"up": "FROM /messages/* INTO $upstream"}}""".getBytes(StandardCharsets.UTF_8),
                "peek test deployment", dir);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).build().start()) {
            for (int i = 0; i < 3; i++) {
                host.submit(Message.builder().body("{\"rpm\": " + (1400 + i) + "}").property("unit", "rpm").build()).get();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(data.resolve("buffer/cursors/%24upstream.cursor")));

            String peeked = run("buffer", "peek", "--data-dir", data.toString(), "--limit", "2");
            assertThat(peeked).contains("cursor $upstream of " + data.resolve("buffer"))
                    .contains("3 record(s) held, the first 2 shown")
                    .contains("offset 10  priority 10").contains("offset 26  priority 10").doesNotContain("offset 42")
                    .contains("system properties: {").contains("properties: {unit=rpm}")
                    .contains("body (13 B): \"{\\\"rpm\\\": 1400}\"").contains("{\\\"rpm\\\": 1401}");
        }
        Map<String, String> before = hashes(data);
        String again = run("buffer", "peek", "--data-dir", data.toString());
        assertThat(again).contains("3 record(s) held").doesNotContain("shown").contains("1402");
        assertThat(hashes(data)).as("a peek writes nothing").isEqualTo(before);
    }

    @Test
    void bufferPeekJson_besideARunningHost_printsOneObjectPerMessage_oldestFirst_textOrBase64() throws Exception {
        Path data = dir.resolve("data");
        Deployment deployment = Deployment.parse("""
                {"routes": {"up": "FROM /messages/* INTO $upstream"}}""".getBytes(StandardCharsets.UTF_8),
                "peek json deployment", dir);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).build().start()) {
            host.submit(Message.builder().body("{\"rpm\": 1400}").property("unit", "rpm").build()).get();
            host.submit(Message.builder().body(new byte[] {(byte) 0xff, 0, 1}).build()).get();
            host.submit(Message.builder().body("third").build()).get();

            List<String> lines = run("buffer", "peek", "--data-dir", data.toString(), "--json", "--limit", "2").lines().toList();

            assertThat(lines).hasSize(2);
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            assertThat(first.path("priority").asInt()).isEqualTo(10);
            assertThat(first.path("ageMillis").isIntegralNumber()).isTrue();
            assertThat(first.path("properties").path("unit").asText()).isEqualTo("rpm");
            assertThat(first.path("systemProperties").path("connectionDeviceId").asText()).isEqualTo("edgefn-gateway");
            assertThat(first.path("body").asText()).isEqualTo("{\"rpm\": 1400}");
            assertThat(first.has("bodyBase64")).isFalse();
            JsonNode second = new ObjectMapper().readTree(lines.get(1));
            assertThat(second.path("bodyBase64").asText()).isEqualTo("/wAB");
            assertThat(second.has("body")).isFalse();
        }
    }
}
