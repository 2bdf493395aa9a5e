package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.deploy.FunctionPackage;
import io.edgefn.index.FunctionIndex;
import io.edgefn.testing.InMemoryCompiler;
import io.edgefn.testing.Jars;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn package check JAR}: a gateway's load-time checks on the author's machine — a
 * summary and exit 0 for a good package, every problem and exit 1 for a bad one.
 */
class PackageCheckCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final StdoutCapture out = StdoutCapture.stdoutAndStderrPerTest();

    @Test
    void check_theExampleJavaPackage_printsItsFunctionsRuntimeAndHash() throws Exception {
        Path jar = dir.resolve("pump-functions.jar");
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            Files.copy(in, jar);
        }

        assertThat(EdgefnCommand.execute("package", "check", jar.toString())).isZero();

        assertThat(out.out()).contains("package " + jar + ": ok")
                .contains("  sha256 " + FunctionPackage.open(jar, null).sha256())
                .containsPattern("  runtime java, [1-9][0-9]* functions:");
        assertThat(out.err()).isEmpty();
    }

    @Test
    void check_aBadJavaPackage_listsEveryProblem_andExits1() throws Exception {
        // Three problems at once: the index names a class the jar lacks, the manifest has a
        // Class-Path, and a class calls System.exit.
        Map<String, byte[]> entries = new HashMap<>(InMemoryCompiler.withoutProcessors().compile("com.example.Quitter", """
                package com.example;
                public class Quitter { public String onMessage(String body) { System.exit(3); return body; } }""")
                .orThrow().files());
        entries.put(FunctionIndex.RESOURCE, """
                {"format": 1, "functions": [{"name": "echo", "className": "com.example.Missing", "maxConcurrency": 1,
                  "timeoutMillis": 1000, "retries": 0, "inputs": ["in"], "outputs": ["out"], "usesDeviceCommands": false,
                  "methods": [{"name": "onMessage", "parameterTypes": ["java.lang.String"],
                    "trigger": {"kind": "route", "input": "in"}, "returnType": "java.lang.String", "returnOutput": "out",
                    "parameters": [{"binding": "bodyString"}]}]}]}""".getBytes(StandardCharsets.UTF_8));
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nClass-Path: lib/extra.jar\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        Path jar = Jars.write(dir.resolve("bad.jar"), entries);

        assertThat(EdgefnCommand.execute("package", "check", jar.toString())).isEqualTo(1);

        assertThat(out.err()).contains("edgefn package check: " + jar + " would be refused by a gateway (3 problems):")
                .contains("function 'echo' names class com.example.Missing, but the jar has no com/example/Missing.class")
                .contains("its manifest META-INF/MANIFEST.MF has a Class-Path (\"lib/extra.jar\")")
                .contains("its code makes calls the host does not allow (1 call):")
                .contains("System.exit");
        assertThat(out.out()).isEmpty();
    }

    @Test
    void check_notAJar_saysSo() throws Exception {
        Path jar = Files.writeString(dir.resolve("notes.jar"), "not a zip");

        assertThat(EdgefnCommand.execute("package", "check", jar.toString())).isEqualTo(1);

        assertThat(out.err()).contains("would be refused by a gateway (1 problem):").contains(jar.toString());
    }

    @Test
    void check_aJsPackage_readsEachDeclarationAgain_andFindsATamperedScript() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("echo.mjs"), """
                export const edgefn = {name: "echo", outputs: ["out"], triggers: [{route: "in", handler: "onIn", output: "out"}]};
                export function onIn(message, ctx) { return message.body; }
                """);
        Path jar = dir.resolve("echo.jar");
        assertThat(EdgefnCommand.execute("package", "js", scripts.toString(), "--out", jar.toString())).isZero();

        assertThat(EdgefnCommand.execute("package", "check", jar.toString())).isZero();
        assertThat(out.out()).contains("package " + jar + ": ok").contains("  runtime js, 1 function:")
                .contains("    echo (js js/echo.mjs): inputs [in], outputs [out], handlers [onIn]");

        // The script edited inside the jar after packing: its handler is gone.
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
                }
            }
        }
        entries.put("js/echo.mjs", """
                export const edgefn = {name: "echo", outputs: ["out"], triggers: [{route: "in", handler: "onIn", output: "out"}]};
                export function renamed(message, ctx) { return message.body; }
                """.getBytes(StandardCharsets.UTF_8));
        Path tampered = Jars.write(dir.resolve("tampered.jar"), entries);

        assertThat(EdgefnCommand.execute("package", "check", tampered.toString())).isEqualTo(1);
        assertThat(out.err()).contains("would be refused by a gateway (1 problem):")
                .contains("function 'echo': js/echo.mjs")
                .contains("the module exports no function 'onIn'");
    }
}
