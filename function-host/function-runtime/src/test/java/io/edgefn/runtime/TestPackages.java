package io.edgefn.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds function package jars from Java source strings, the way a user's build does: javac with
 * Micronaut's and edgefn's annotation processors, then a jar of the classes and generated
 * resources. Lets host tests use functions written for the test.
 */
final class TestPackages {

    private TestPackages() {
    }

    /** Compiles {@code sources} (class name → source) into {@code directory/name.jar}. */
    static Path build(Path directory, String name, Map<String, String> sources) {
        try {
            Path classes = Files.createDirectories(directory.resolve(name + "-classes"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((className, source) -> units.add(new SimpleJavaFileObject(
                    URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            }));
            String classpath = System.getProperty("java.class.path");
            List<String> options = List.of("-d", classes.toString(), "-classpath", classpath,
                    "-processorpath", classpath, "--release", "21", "-parameters", "-proc:full");
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
                boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
                if (!ok) {
                    StringBuilder s = new StringBuilder("test package " + name + " did not compile:");
                    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                        s.append("\n  ").append(d.getKind()).append(" line ").append(d.getLineNumber()).append(": ")
                                .append(d.getMessage(null));
                    }
                    throw new AssertionError(s.toString());
                }
            }
            Path jar = directory.resolve(name + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> walk = Files.walk(classes)) {
                // Directory entries too, as jar tools write them: Micronaut lists its bean
                // definition references by directory.
                for (Path p : (Iterable<Path>) walk.filter(p -> !p.equals(classes)).sorted()::iterator) {
                    String entry = classes.relativize(p).toString().replace('\\', '/');
                    if (Files.isDirectory(p)) {
                        out.putNextEntry(new JarEntry(entry + "/"));
                    } else {
                        out.putNextEntry(new JarEntry(entry));
                        Files.copy(p, (OutputStream) out);
                    }
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
