package io.edgefn.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles Java source strings in memory with the JDK's compiler ({@code javax.tools}), for tests
 * that need classes or whole function packages written for the test: {@code --release 21},
 * {@code -parameters}, against the test's class path, with the annotation processors found on that
 * class path, given explicitly, or none. What comes out — class files, and the resources and
 * classes processors generate — is returned in memory with the diagnostics, and can be written
 * to a directory or a jar.
 *
 * <pre>{@code
 * InMemoryCompiler.Result r = InMemoryCompiler.withClassPathProcessors()
 *         .compile(Map.of("p.Echo", "package p; ..."));
 * Path jar = r.orThrow().writeJar(dir.resolve("echo.jar"));
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link #compile} is independent.
 */
public final class InMemoryCompiler {

    /**
     * One diagnostic, reduced to what tests assert.
     *
     * @param kind   error, warning, …
     * @param source the binary name of the source it is about, as given to {@link #compile}; empty if none
     * @param line   its line in that source, 1-based, or {@link Diagnostic#NOPOS}
     * @param text   the message, in the root locale
     */
    public record Message(Diagnostic.Kind kind, String source, long line, String text) {
        @Override
        public String toString() {
            return kind + " " + source + ":" + line + " " + text;
        }
    }

    /** What one compilation produced. Immutable. */
    public static final class Result {
        private final boolean success;
        private final List<Message> messages;
        private final SortedMap<String, byte[]> files;

        private Result(boolean success, List<Message> messages, SortedMap<String, byte[]> files) {
            this.success = success;
            this.messages = List.copyOf(messages);
            this.files = Collections.unmodifiableSortedMap(files);
        }

        /** Whether javac reported no error. */
        public boolean success() {
            return success;
        }

        /** Every diagnostic but notes, in the order javac reported them. */
        public List<Message> messages() {
            return messages;
        }

        /** The errors among {@link #messages()}. */
        public List<Message> errors() {
            return messages.stream().filter(m -> m.kind() == Diagnostic.Kind.ERROR).toList();
        }

        /** The warnings (mandatory ones included) among {@link #messages()}. */
        public List<Message> warnings() {
            return messages.stream().filter(m -> m.kind() == Diagnostic.Kind.WARNING
                    || m.kind() == Diagnostic.Kind.MANDATORY_WARNING).toList();
        }

        /**
         * Everything written to the class output, by jar entry name: class files
         * ({@code com/example/Echo.class}) and processors' resources ({@code META-INF/…}). A failed
         * compilation may have written some.
         */
        public SortedMap<String, byte[]> files() {
            return files;
        }

        /** The file {@code entryName} of {@link #files()} as UTF-8 text, if it was written. */
        public Optional<String> text(String entryName) {
            return Optional.ofNullable(files.get(entryName)).map(b -> new String(b, StandardCharsets.UTF_8));
        }

        /**
         * This result, if the compilation succeeded.
         *
         * @throws AssertionError listing the diagnostics, when it failed
         */
        public Result orThrow() {
            if (!success) {
                throw new AssertionError("test sources do not compile:" + messages.stream()
                        .map(m -> "\n  " + m).collect(Collectors.joining()));
            }
            return this;
        }

        /** Writes {@link #files()} under {@code directory}, as javac's {@code -d} would; returns this result. */
        public Result writeTo(Path directory) {
            try {
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    Path file = directory.resolve(e.getKey());
                    Files.createDirectories(file.getParent());
                    Files.write(file, e.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Writes {@link #files()} as a jar at {@code jar}, with directory entries (see {@link Jars}); returns {@code jar}. */
        public Path writeJar(Path jar) {
            try {
                return Jars.write(jar, files);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return (success ? "compiled " : "failed ") + files.size() + " file(s), " + messages;
        }
    }

    private static final String CLASS_PATH = expandedClassPath();

    /** {@code null}: processors found on the class path; empty: none. */
    private final List<Processor> processors;

    private InMemoryCompiler(List<Processor> processors) {
        this.processors = processors;
    }

    /** A compiler that runs the annotation processors registered on the test's class path (Micronaut's, edgefn's). */
    public static InMemoryCompiler withClassPathProcessors() {
        return new InMemoryCompiler(null);
    }

    /**
     * A compiler that runs exactly {@code processors}, and none from the class path. Processor
     * instances keep state across a compilation: give fresh ones to each compiler that is used
     * more than once.
     */
    public static InMemoryCompiler withProcessors(Processor... processors) {
        return new InMemoryCompiler(List.of(processors));
    }

    /** A compiler that runs no annotation processor ({@code -proc:none}). */
    public static InMemoryCompiler withoutProcessors() {
        return new InMemoryCompiler(List.of());
    }

    /** Compiles {@code sources} (binary class name, such as {@code com.example.Echo}, to source text). */
    public Result compile(Map<String, String> sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: tests must run on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        List<Source> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new Source(name, text)));
        List<String> options = new ArrayList<>(List.of("--release", "21", "-parameters", "-classpath", CLASS_PATH));
        if (processors == null) {
            options.addAll(List.of("-proc:full", "-processorpath", CLASS_PATH));
        } else if (processors.isEmpty()) {
            options.add("-proc:none");
        } else {
            options.add("-proc:full");
        }
        try (MemoryFileManager files = new MemoryFileManager(
                javac.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8))) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, collector, options, null, units);
            if (processors != null && !processors.isEmpty()) {
                task.setProcessors(processors);
            }
            boolean ok = task.call();
            List<Message> messages = collector.getDiagnostics().stream()
                    .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                    .map(d -> new Message(d.getKind(), sourceName(d.getSource()), d.getLineNumber(), d.getMessage(Locale.ROOT)))
                    .toList();
            return new Result(ok, messages, files.written(StandardLocation.CLASS_OUTPUT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles one class. */
    public Result compile(String className, String source) {
        return compile(Map.of(className, source));
    }

    private static String sourceName(JavaFileObject file) {
        if (file == null) {
            return "";
        }
        return file instanceof Source s ? s.className : file.getName();
    }

    /**
     * The test's class path with the {@code Class-Path} of any manifest-only jar (Surefire's
     * booter) expanded, since javac's processor path does not read those manifests.
     */
    private static String expandedClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry);
            if (!entry.endsWith(".jar") || !new File(entry).isFile()) {
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

    /** A source text held in memory, named for its class so diagnostics can say which. */
    private static final class Source extends SimpleJavaFileObject {
        final String className;
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + Objects.requireNonNull(className, "className").replace('.', '/')
                    + Kind.SOURCE.extension), Kind.SOURCE);
            this.className = className;
            this.text = Objects.requireNonNull(text, "text");
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
