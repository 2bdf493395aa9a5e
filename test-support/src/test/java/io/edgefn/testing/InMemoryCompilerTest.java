package io.edgefn.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InMemoryCompilerTest {

    private static final String GREETER = """
            package com.example.hello;

            public class Greeter implements java.util.function.Supplier<String> {
                @Deprecated
                public String get() {
                    return "hello from " + getClass().getSimpleName();
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void compile_goodSource_returnsItsClassFilesByEntryName() {
        InMemoryCompiler.Result result = InMemoryCompiler.withoutProcessors().compile("com.example.hello.Greeter", GREETER);

        assertThat(result.success()).isTrue();
        assertThat(result.messages()).isEmpty();
        assertThat(result.files()).containsOnlyKeys("com/example/hello/Greeter.class");
        assertThat(result.files().get("com/example/hello/Greeter.class")).startsWith(0xCA, 0xFE, 0xBA, 0xBE);
    }

    @Test
    void compile_syntaxError_isReportedOnItsLineOfItsSource() {
        String broken = """
                package p;

                class Broken {
                    int x = ;
                }
                """;

        InMemoryCompiler.Result result = InMemoryCompiler.withoutProcessors()
                .compile(Map.of("p.Broken", broken, "com.example.hello.Greeter", GREETER));

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(Diagnostic.Kind.ERROR);
            assertThat(error.source()).isEqualTo("p.Broken");
            assertThat(error.line()).isEqualTo(4);
            assertThat(error.text()).contains("illegal start of expression");
        });
        assertThatThrownBy(result::orThrow).isInstanceOf(AssertionError.class)
                .hasMessageContaining("p.Broken:4").hasMessageContaining("illegal start of expression");
    }

    @Test
    void writeJar_classInItLoadsAndRuns() throws Exception {
        Path jar = InMemoryCompiler.withoutProcessors().compile("com.example.hello.Greeter", GREETER)
                .orThrow().writeJar(dir.resolve("greeter.jar"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            Object greeter = loader.loadClass("com.example.hello.Greeter").getConstructor().newInstance();
            assertThat(((java.util.function.Supplier<?>) greeter).get()).isEqualTo("hello from Greeter");
        }
    }

    @Test
    void writeJar_hasAnEntryForEveryDirectory_soAClassLoaderCanListThem() throws Exception {
        Path jar = InMemoryCompiler.withoutProcessors().compile("com.example.hello.Greeter", GREETER)
                .orThrow().writeJar(dir.resolve("greeter.jar"));

        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(Collections.list(file.entries())).extracting(JarEntry::getName)
                    .containsExactly("com/", "com/example/", "com/example/hello/", "com/example/hello/Greeter.class");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(loader.getResource("com/example/hello")).isNotNull();
        }
    }

    @Test
    void withProcessors_runsThemAndKeepsWhatTheyWrite() {
        InMemoryCompiler.Result result = InMemoryCompiler.withProcessors(new IndexingProcessor())
                .compile("com.example.hello.Greeter", GREETER);

        assertThat(result.success()).as("%s", result).isTrue();
        assertThat(result.text("META-INF/deprecated.txt")).contains("com.example.hello.Greeter.get()\n");
        assertThat(result.files()).containsKeys("com/example/hello/Greeter.class", "com/example/hello/Greeter$Index.class");
    }

    @Test
    void writeTo_putsEveryFileUnderTheDirectory() throws Exception {
        InMemoryCompiler.withProcessors(new IndexingProcessor()).compile("com.example.hello.Greeter", GREETER)
                .orThrow().writeTo(dir);

        assertThat(dir.resolve("com/example/hello/Greeter.class")).isRegularFile();
        assertThat(Files.readString(dir.resolve("META-INF/deprecated.txt"))).isEqualTo("com.example.hello.Greeter.get()\n");
    }

    @Test
    void withClassPathProcessors_compilesAgainstTheTestClassPath() {
        InMemoryCompiler.Result result = InMemoryCompiler.withClassPathProcessors().compile("p.UsesTestSupport", """
                package p;
                public class UsesTestSupport {
                    final io.edgefn.testing.ManualClock clock = new io.edgefn.testing.ManualClock();
                }
                """);

        assertThat(result.success()).as("%s", result).isTrue();
    }

    @Test
    void compile_warning_isReportedApartFromErrors() {
        InMemoryCompiler.Result result = InMemoryCompiler.withoutProcessors().compile(Map.of(
                "p.Old", "package p;\npublic class Old {\n    @Deprecated(forRemoval = true) public static void old() { }\n}\n",
                "p.User", "package p;\nclass User {\n    void use() { Old.old(); }\n}\n"));

        assertThat(result.success()).isTrue();
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.source()).isEqualTo("p.User");
            assertThat(w.line()).isEqualTo(3);
            assertThat(w.text()).contains("marked for removal");
        });
    }

    /**
     * Lists the {@code @Deprecated} methods in a resource and generates a source file that javac
     * compiles in the next round, so that both kinds of processor output are exercised.
     */
    @SupportedAnnotationTypes("java.lang.Deprecated")
    private static final class IndexingProcessor extends AbstractProcessor {
        private boolean generated;

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (generated || annotations.isEmpty()) {
                return false;
            }
            generated = true;
            try {
                StringBuilder index = new StringBuilder();
                for (Element method : round.getElementsAnnotatedWith(Deprecated.class)) {
                    index.append(method.getEnclosingElement()).append('.').append(method).append('\n');
                }
                FileObject resource = processingEnv.getFiler()
                        .createResource(StandardLocation.CLASS_OUTPUT, "", "META-INF/deprecated.txt");
                try (Writer w = resource.openWriter()) {
                    w.write(index.toString());
                }
                try (Writer w = processingEnv.getFiler().createSourceFile("com.example.hello.Greeter$Index").openWriter()) {
                    w.write("package com.example.hello;\nclass Greeter$Index { static final int LINES = "
                            + index.toString().lines().count() + "; }\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return false;
        }
    }
}
