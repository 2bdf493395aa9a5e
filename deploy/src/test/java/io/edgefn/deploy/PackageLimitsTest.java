package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.index.FunctionIndex;
import io.edgefn.testing.InMemoryCompiler;
import io.edgefn.testing.Jars;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zip bombs and other jars built to cost the host: too many entries, more bytes than the budget
 * (declared or really inflated), and two entries under one name.
 */
class PackageLimitsTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withoutProcessors();

    @TempDir
    Path dir;

    /** The compiled echo function, compiled once for all tests. */
    private static Map<String, byte[]> echo;

    /** The entries of a valid echo package, plus {@code extra}. */
    private static synchronized Map<String, byte[]> echoPackage(Map<String, byte[]> extra) {
        if (echo == null) {
            echo = JAVAC.compile("com.example.Echo", FunctionPackageTest.ECHO).orThrow().files();
        }
        Map<String, byte[]> entries = new HashMap<>(echo);
        entries.put(FunctionIndex.RESOURCE, FunctionPackageTest.INDEX.getBytes(StandardCharsets.UTF_8));
        entries.putAll(extra);
        return entries;
    }

    @Test
    void open_jarWithMoreEntriesThanTheLimit_isRefusedBeforeAnyIsRead() throws IOException {
        Path jar = dir.resolve("many.jar");
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(jar)))) {
            for (int i = 0; i <= FunctionPackage.MAX_ENTRIES; i++) {
                zip.putNextEntry(new ZipEntry("res/" + i));
                zip.closeEntry();
            }
        }

        assertThatThrownBy(() -> FunctionPackage.open(jar, null))
                .isInstanceOf(PackageException.class)
                .hasMessage("package " + jar.toAbsolutePath() + " has 10001 entries, more than the limit of 10000");
    }

    @Test
    void open_entriesDeclaringMoreThanTheBudgetTogether_areRefusedUnread() throws IOException {
        // Seventeen entries that say they hold 16 MiB each, 272 MiB in all: what a bomb of
        // overlapping entries (many entries sharing one compressed stream) looks like to a reader.
        Map<String, byte[]> blobs = new HashMap<>();
        for (int i = 0; i < 17; i++) {
            blobs.put("blob/" + i + ".class", new byte[] {1});
        }
        Path jar = Jars.write(dir.resolve("bomb.jar"), echoPackage(blobs));
        declareSize(jar, name -> name.startsWith("blob/"), 16 << 20);

        assertThatThrownBy(() -> FunctionPackage.open(jar, null))
                .isInstanceOf(PackageException.class)
                .hasMessageStartingWith("package " + jar.toAbsolutePath() + " declares more than the limit of 268435456"
                        + " bytes (256 MiB) uncompressed, by entry blob/")
                .hasMessageEndingWith("; it is refused unread");
    }

    @Test
    void open_entryInflatingPastTheBudgetWhileItsDeclaredSizeIsSmall_stopsReadingAtTheBudget() throws IOException {
        Path jar = Jars.write(dir.resolve("liar.jar"), echoPackage(Map.of("com/example/Bomb.class", new byte[2 << 20])));
        declareSize(jar, name -> name.equals("com/example/Bomb.class"), 100);
        PackageJar.Limits oneMiB = new PackageJar.Limits(FunctionPackage.MAX_JAR_BYTES, FunctionPackage.MAX_ENTRIES, 1 << 20);

        assertThatThrownBy(() -> FunctionPackage.open(jar, null, oneMiB))
                .isInstanceOf(PackageException.class)
                .hasMessage("package " + jar.toAbsolutePath() + " inflates to more than the limit of 1048576 bytes"
                        + " (1 MiB); reading stopped in entry com/example/Bomb.class");
    }

    @Test
    void open_packageWithinTheLimits_isReadWhole() throws IOException {
        Path jar = Jars.write(dir.resolve("fine.jar"), echoPackage(Map.of("data/big.bin", new byte[900 << 10])));
        PackageJar.Limits oneMiB = new PackageJar.Limits(FunctionPackage.MAX_JAR_BYTES, 10, 1 << 20);

        assertThat(FunctionPackage.open(jar, null, oneMiB).index().function("echo")).isNotNull();
    }

    @Test
    void open_twoEntriesUnderOneName_isRefused() throws IOException {
        byte[] quitter = "a class that would call System.exit".getBytes(StandardCharsets.UTF_8);
        Path jar = Jars.write(dir.resolve("twice.jar"), echoPackage(Map.of("com/example/Ech0.class", quitter)));
        byte[] bytes = Files.readAllBytes(jar);
        replaceAll(bytes, "com/example/Ech0.class", "com/example/Echo.class");
        Files.write(jar, bytes);

        assertThatThrownBy(() -> FunctionPackage.open(jar, null))
                .isInstanceOf(PackageException.class)
                .hasMessage("package " + jar.toAbsolutePath() + " has two entries named com/example/Echo.class; which"
                        + " one a reader sees is not defined, so the jar is refused");
    }

    /** Rewrites the uncompressed size the central directory declares for the entries {@code names} accepts. */
    private static void declareSize(Path jar, Predicate<String> names, int size) throws IOException {
        byte[] zip = Files.readAllBytes(jar);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        while (b.getInt(end) != 0x06054b50) {
            end--;
        }
        int count = b.getShort(end + 10) & 0xFFFF;
        int at = b.getInt(end + 16);
        for (int i = 0; i < count; i++) {
            assertThat(b.getInt(at)).as("central directory header %d", i).isEqualTo(0x02014b50);
            int nameLength = b.getShort(at + 28) & 0xFFFF;
            String name = new String(zip, at + 46, nameLength, StandardCharsets.UTF_8);
            if (names.test(name)) {
                b.putInt(at + 24, size);
            }
            at += 46 + nameLength + (b.getShort(at + 30) & 0xFFFF) + (b.getShort(at + 32) & 0xFFFF);
        }
        Files.write(jar, zip);
    }

    private static void replaceAll(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        int replaced = 0;
        for (int i = 0; i + f.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, bytes, i, t.length);
                replaced++;
            }
        }
        assertThat(replaced).as("names replaced (local and central headers)").isEqualTo(2);
    }
}
