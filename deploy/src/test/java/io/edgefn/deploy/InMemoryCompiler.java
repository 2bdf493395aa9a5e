package io.edgefn.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles Java source strings with javax.tools into class files held in memory, for tests. */
final class InMemoryCompiler {

    private InMemoryCompiler() {}

    /**
     * Compiles {@code sources} (binary class name to source text) for release 21.
     *
     * @return every class file produced, by jar entry name (e.g. {@code com/example/Evil.class})
     */
    static Map<String, byte[]> compile(Map<String, String> sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> outputs = new TreeMap<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, null, null);
        var manager = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                outputs.put(className.replace('.', '/') + ".class", out);
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return out;
                    }
                };
            }
        };
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        }));
        boolean ok = compiler.getTask(null, manager, diagnostics, List.of("--release", "21", "-proc:none"), null, units)
                .call();
        if (!ok) {
            throw new IllegalStateException("test sources do not compile: " + diagnostics.getDiagnostics());
        }
        try {
            manager.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, byte[]> classes = new TreeMap<>();
        outputs.forEach((entry, out) -> classes.put(entry, out.toByteArray()));
        return classes;
    }

    /** Compiles one class. */
    static Map<String, byte[]> compile(String className, String source) {
        return compile(Map.of(className, source));
    }
}
