package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgefn.index.FunctionIndex;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.index.json.Problem;
import io.edgefn.testing.InMemoryCompiler;
import io.edgefn.testing.Jars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionPackageTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withoutProcessors();

    static final String INDEX = """
            {"format": 1, "functions": [{"name": "echo", "className": "com.example.Echo", "maxConcurrency": 1,
              "timeoutMillis": 1000, "retries": 0, "inputs": ["in"], "outputs": ["out"], "usesDeviceCommands": false,
              "methods": [{"name": "onMessage", "parameterTypes": ["java.lang.String"],
                "trigger": {"kind": "route", "input": "in"}, "returnType": "java.lang.String", "returnOutput": "out",
                "parameters": [{"binding": "bodyString"}]}]}]}""";

    static final String ECHO = """
            package com.example;
            public class Echo { public String onMessage(String body) { return body; } }""";

    @TempDir
    Path dir;

    /** A package jar with the class {@code com.example.Echo} compiled from {@code source} and {@code index}. */
    static Path packageJar(Path file, String source, String index) throws IOException {
        Map<String, byte[]> entries = new HashMap<>(JAVAC.compile("com.example.Echo", source).orThrow().files());
        if (index != null) {
            entries.put(FunctionIndex.RESOURCE, index.getBytes(StandardCharsets.UTF_8));
        }
        return Jars.write(file, entries);
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void open_goodPackageWithItsHash_readsTheIndex() throws IOException {
        Path jar = packageJar(dir.resolve("echo.jar"), ECHO, INDEX);
        String sha = sha256(jar);

        FunctionPackage pkg = FunctionPackage.open(jar, sha.toUpperCase());

        assertThat(pkg.sha256()).isEqualTo(sha);
        assertThat(pkg.jar()).isEqualTo(jar.toAbsolutePath());
        assertThat(pkg.index().function("echo").methods().getFirst().trigger())
                .isEqualTo(new TriggerDescriptor.Route("in"));
    }

    @Test
    void open_withoutExpectedHash_stillReportsTheJarsHash() throws IOException {
        Path jar = packageJar(dir.resolve("echo.jar"), ECHO, INDEX);

        assertThat(FunctionPackage.open(jar, null).sha256()).isEqualTo(sha256(jar));
    }

    @Test
    void open_hashMismatch_namesBothHashes() throws IOException {
        Path jar = packageJar(dir.resolve("echo.jar"), ECHO, INDEX);
        String expected = "0".repeat(64);

        assertThatThrownBy(() -> FunctionPackage.open(jar, expected))
                .isInstanceOf(PackageException.class)
                .hasMessage("package " + jar.toAbsolutePath() + " has SHA-256 " + sha256(jar)
                        + " but the deployment expects " + expected + "; it is not the jar the deployment names");
    }

    @Test
    void open_missingFile_saysItCannotBeRead() {
        Path missing = dir.resolve("missing.jar");

        assertThatThrownBy(() -> FunctionPackage.open(missing, null))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot read package " + missing.toAbsolutePath() + ": there is no such file");
    }

    @Test
    void open_shownAs_namesTheUsersFileNotTheCopy() {
        Path missing = dir.resolve("copy.jar");

        assertThatThrownBy(() -> FunctionPackage.open(missing, null, "packages/pump.jar"))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot read package packages/pump.jar: there is no such file");
    }

    @Test
    void open_notAJar_saysSo() throws IOException {
        Path notJar = Files.writeString(dir.resolve("echo.jar"), "{\"format\": 1}");

        assertThatThrownBy(() -> FunctionPackage.open(notJar, null))
                .isInstanceOf(PackageException.class)
                .hasMessageStartingWith("package " + notJar.toAbsolutePath() + " is not a jar (zip) file");
    }

    @Test
    void open_jarWithoutIndex_saysHowToGetOne() throws IOException {
        Path jar = packageJar(dir.resolve("echo.jar"), ECHO, null);

        assertThatThrownBy(() -> FunctionPackage.open(jar, null))
                .isInstanceOf(PackageException.class)
                .hasMessage("package " + jar.toAbsolutePath() + " has no function index META-INF/edgefn/functions.json;"
                        + " build it with edgefn-processor on the annotation processor path");
    }

    @Test
    void open_badIndex_listsItsProblemsWithTheJarEntry() throws IOException {
        Path jar = packageJar(dir.resolve("echo.jar"), ECHO, INDEX.replace("\"format\": 1", "\"format\": 7"));

        PackageException e = catchThrowableOfType(PackageException.class, () -> FunctionPackage.open(jar, null));

        assertThat(e).hasMessageStartingWith("function index " + jar.toAbsolutePath()
                + "!/META-INF/edgefn/functions.json is invalid (1 problem):\n  1:12: format: index format 7 is not supported");
        assertThat(e.problems()).extracting(Problem::location).containsExactly("format");
    }

    @Test
    void open_indexNamingAClassTheJarLacks_isRefused() throws IOException {
        Path jar = packageJar(dir.resolve("echo.jar"), ECHO, INDEX.replace("com.example.Echo", "com.example.Gone"));

        assertThatThrownBy(() -> FunctionPackage.open(jar, null))
                .isInstanceOf(PackageException.class)
                .hasMessageEndingWith("function 'echo' names class com.example.Gone, but the jar has no com/example/Gone.class");
    }

    @Test
    void open_packageCallingSystemExit_isRefusedNamingEachCall() throws IOException {
        Path jar = packageJar(dir.resolve("echo.jar"), """
                package com.example;
                public class Echo {
                    public String onMessage(String body) {
                        if (body.equals("die")) { System.exit(0); }
                        Runnable r = () -> Runtime.getRuntime().halt(9);
                        return body;
                    }
                }""", INDEX);

        PackageException e = catchThrowableOfType(PackageException.class, () -> FunctionPackage.open(jar, null));

        assertThat(e.forbiddenCalls()).extracting(ForbiddenCall::method, ForbiddenCall::call).containsExactly(
                org.assertj.core.groups.Tuple.tuple("onMessage(Ljava/lang/String;)V".replace(")V", ")Ljava/lang/String;"),
                        "java.lang.System.exit(I)V"),
                org.assertj.core.groups.Tuple.tuple("lambda$onMessage$0()V", "java.lang.Runtime.halt(I)V"));
        assertThat(e).hasMessage("package " + jar.toAbsolutePath() + " is refused: its code makes calls the host does"
                + " not allow (2 calls):\n"
                + "  com.example.Echo.onMessage(Ljava/lang/String;)Ljava/lang/String; at line 4 calls"
                + " java.lang.System.exit(I)V (invokestatic): it would stop the whole host\n"
                + "  com.example.Echo.lambda$onMessage$0()V at line 5 calls java.lang.Runtime.halt(I)V (invokevirtual):"
                + " it would stop the whole host");
    }

    @Test
    void open_hugeIndex_isRefusedWithoutReadingItAll() throws IOException {
        String huge = INDEX.replace("\"format\": 1,", "\"format\": 1, \"padding\": \"" + "x".repeat(FunctionIndex.MAX_BYTES) + "\",");
        Path jar = packageJar(dir.resolve("echo.jar"), ECHO, huge);

        assertThatThrownBy(() -> FunctionPackage.open(jar, null))
                .isInstanceOf(PackageException.class)
                .hasMessageEndingWith("functions.json is larger than 1048576 bytes; it cannot be an index the processor wrote");
    }
}
