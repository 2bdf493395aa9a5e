package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.testing.InMemoryCompiler;
import io.edgefn.testing.Jars;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageClassLoaderTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withoutProcessors();

    @TempDir
    Path dir;

    private Path packageJar;

    /**
     * A package jar whose manifest (as if it had slipped past the check) names {@code other.jar}
     * on its Class-Path, and that other jar, holding a class the package does not.
     */
    @BeforeEach
    void jars() throws IOException {
        Jars.write(dir.resolve("other.jar"), JAVAC.compile("b.Unscanned",
                "package b; public class Unscanned { }").orThrow().files());
        Map<String, byte[]> entries = new HashMap<>(JAVAC.compile("a.Checked",
                "package a; public class Checked { public String hello() { return \"hi\"; } }").orThrow().files());
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nClass-Path: other.jar\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        entries.put("a/data/greeting.txt", "hello".getBytes(StandardCharsets.UTF_8));
        packageJar = Jars.write(dir.resolve("package.jar"), entries);
    }

    @Test
    void urlClassLoader_followsTheClassPath_whichIsWhyPackagesDoNotUseIt() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {packageJar.toUri().toURL()}, null)) {
            assertThat(loader.loadClass("b.Unscanned").getClassLoader()).isSameAs(loader);
        }
    }

    @Test
    void loadClass_classOnlyInAJarOnTheManifestClassPath_isNotFound() throws IOException {
        try (PackageClassLoader loader = new PackageClassLoader("edgefn-package-t", packageJar, null)) {
            assertThatThrownBy(() -> loader.loadClass("b.Unscanned")).isInstanceOf(ClassNotFoundException.class);
            assertThat(loader.getResource("b/Unscanned.class")).isNull();
            assertThat(Collections.list(loader.getResources("b/Unscanned.class"))).isEmpty();
        }
    }

    @Test
    void loadClass_classOfThePackage_isDefinedByThisLoaderFromTheJar() throws Exception {
        try (PackageClassLoader loader = new PackageClassLoader("edgefn-package-t", packageJar, null)) {
            Class<?> checked = loader.loadClass("a.Checked");

            assertThat(checked.getClassLoader()).isSameAs(loader);
            assertThat(checked.getPackage().getName()).isEqualTo("a");
            assertThat(checked.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(packageJar.toUri().toURL());
            assertThat(checked.getMethod("hello").invoke(checked.getConstructor().newInstance())).isEqualTo("hi");
            assertThat(loader.getName()).isEqualTo("edgefn-package-t");
        }
    }

    @Test
    void resources_areJarUrlsIntoThePackageThatOpenAndListLikeAUrlClassLoaders() throws Exception {
        try (PackageClassLoader loader = new PackageClassLoader("edgefn-package-t", packageJar, null);
                URLClassLoader reference = new URLClassLoader(new URL[] {packageJar.toUri().toURL()}, null)) {
            URL url = loader.getResource("a/data/greeting.txt");

            assertThat(url).hasToString(reference.getResource("a/data/greeting.txt").toString());
            try (InputStream in = url.openStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
            try (InputStream in = loader.getResourceAsStream("a/data/greeting.txt")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
            assertThat(loader.getResource("a/data")).hasToString(reference.getResource("a/data").toString());
            assertThat(loader.getResource("a/missing.txt")).isNull();
            assertThat(loader.getResourceAsStream("a/missing.txt")).isNull();
        }
    }

    @Test
    void loadClass_afterClose_isNotFound() throws IOException {
        PackageClassLoader loader = new PackageClassLoader("edgefn-package-t", packageJar, null);
        loader.close();

        assertThatThrownBy(() -> loader.loadClass("a.Checked")).isInstanceOf(ClassNotFoundException.class);
        assertThat(loader.getResource("a/data/greeting.txt")).isNull();
    }
}
