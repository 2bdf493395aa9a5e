package io.edgefn.processor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles Java source strings with the system {@link JavaCompiler}, with Micronaut's processors
 * and ours found on the processor path (the test class path), into a directory.
 */
final class InMemoryCompiler {

    /** One diagnostic, reduced to what tests assert. */
    record Message(Diagnostic.Kind kind, String source, long line, String text) {
        @Override
        public String toString() {
            return kind + " " + source + ":" + line + " " + text;
        }
    }

    /** What one compilation produced. */
    record Result(boolean success, List<Message> messages, Path classes) {

        List<Message> errors() {
            return messages.stream().filter(m -> m.kind() == Diagnostic.Kind.ERROR).toList();
        }

        List<Message> warnings() {
            return messages.stream().filter(m -> m.kind() == Diagnostic.Kind.WARNING
                    || m.kind() == Diagnostic.Kind.MANDATORY_WARNING).toList();
        }

        Optional<String> index() {
            Path file = classes.resolve("META-INF/edgefn/functions.json");
            try {
                return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final String CLASS_PATH = expandedClassPath();

    private InMemoryCompiler() {
    }

    /** Compiles {@code sources} (binary class name → source text) into {@code output}. */
    static Result compile(Path output, Map<String, String> sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8)) {
            Files.createDirectories(output);
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(output.toFile()));
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, text) -> units.add(new Source(name, text)));
            List<String> options = List.of(
                    "--release", "21",
                    "-parameters",
                    "-proc:full",
                    "-classpath", CLASS_PATH,
                    "-processorpath", CLASS_PATH);
            boolean ok = compiler.getTask(null, files, collector, options, null, units).call();
            List<Message> messages = collector.getDiagnostics().stream()
                    .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                    .map(d -> new Message(d.getKind(),
                            d.getSource() == null ? "" : ((Source) d.getSource()).className,
                            d.getLineNumber(), d.getMessage(Locale.ROOT)))
                    .toList();
            return new Result(ok, messages, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test class path with the {@code Class-Path} of any manifest-only jar (Surefire's
     * booter) expanded, since javac's processor path does not read those manifests.
     */
    private static String expandedClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry);
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                Manifest manifest = jar.getManifest();
                String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                if (classPath == null) {
                    continue;
                }
                URI base = new File(entry).toURI();
                for (String item : classPath.trim().split("\\s+")) {
                    entries.add(new File(base.resolve(item)).getPath());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static final class Source extends SimpleJavaFileObject {
        final String className;
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.className = className;
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
