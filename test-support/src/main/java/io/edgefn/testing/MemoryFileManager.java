package io.edgefn.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * A file manager that keeps javac's output locations in memory: the class files javac writes, and
 * the resources, sources and class files annotation processors write, which they and javac may
 * read back in later rounds. Everything else (class path, platform classes) comes from the
 * standard file manager.
 *
 * <p>Owned by one compilation task, on the thread that runs it.
 */
final class MemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {

    /** Output location to entry name ({@code com/example/A.class}, {@code META-INF/x.json}) to bytes. */
    private final Map<Location, Map<String, byte[]>> outputs = new ConcurrentHashMap<>();

    MemoryFileManager(StandardJavaFileManager standard) {
        super(standard);
    }

    /** What was written to {@code location}, by entry name. */
    SortedMap<String, byte[]> written(Location location) {
        return new TreeMap<>(outputs.getOrDefault(location, Map.of()));
    }

    @Override
    public boolean hasLocation(Location location) {
        return location.isOutputLocation() || super.hasLocation(location);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
            FileObject sibling) {
        if (!location.isOutputLocation()) {
            throw new IllegalArgumentException("not an output location: " + location);
        }
        return new MemoryFile(location, className.replace('.', '/') + kind.extension, kind);
    }

    @Override
    public FileObject getFileForOutput(Location location, String packageName, String relativeName, FileObject sibling) {
        if (!location.isOutputLocation()) {
            throw new IllegalArgumentException("not an output location: " + location);
        }
        return new MemoryFile(location, entryName(packageName, relativeName), JavaFileObject.Kind.OTHER);
    }

    @Override
    public FileObject getFileForInput(Location location, String packageName, String relativeName)
            throws java.io.IOException {
        if (location.isOutputLocation()) {
            String name = entryName(packageName, relativeName);
            return store(location).containsKey(name) ? new MemoryFile(location, name, JavaFileObject.Kind.OTHER) : null;
        }
        return super.getFileForInput(location, packageName, relativeName);
    }

    @Override
    public JavaFileObject getJavaFileForInput(Location location, String className, JavaFileObject.Kind kind)
            throws java.io.IOException {
        if (location.isOutputLocation()) {
            String name = className.replace('.', '/') + kind.extension;
            return store(location).containsKey(name) ? new MemoryFile(location, name, kind) : null;
        }
        return super.getJavaFileForInput(location, className, kind);
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        if (a instanceof MemoryFile || b instanceof MemoryFile) {
            return a.toUri().equals(b.toUri());
        }
        return super.isSameFile(a, b);
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        if (file instanceof MemoryFile m) {
            String name = m.entryName;
            return name.substring(0, name.length() - m.getKind().extension.length()).replace('/', '.');
        }
        return super.inferBinaryName(location, file);
    }

    private Map<String, byte[]> store(Location location) {
        return outputs.computeIfAbsent(location, l -> new ConcurrentHashMap<>());
    }

    private static String entryName(String packageName, String relativeName) {
        return packageName == null || packageName.isEmpty() ? relativeName : packageName.replace('.', '/') + "/" + relativeName;
    }

    /** A file in an output location: bytes once written and closed, absent before. */
    private final class MemoryFile extends SimpleJavaFileObject {
        private final Location location;
        private final String entryName;

        MemoryFile(Location location, String entryName, Kind kind) {
            super(URI.create("mem:///" + (location == StandardLocation.CLASS_OUTPUT ? "" : location.getName() + "/")
                    + entryName), kind);
            this.location = location;
            this.entryName = entryName;
        }

        @Override
        public OutputStream openOutputStream() {
            return new ByteArrayOutputStream() {
                @Override
                public void close() {
                    store(location).put(entryName, toByteArray());
                }
            };
        }

        @Override
        public Writer openWriter() {
            return new OutputStreamWriter(openOutputStream(), StandardCharsets.UTF_8);
        }

        @Override
        public InputStream openInputStream() throws FileNotFoundException {
            return new ByteArrayInputStream(bytes());
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) throws FileNotFoundException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        @Override
        public boolean delete() {
            return store(location).remove(entryName) != null;
        }

        private byte[] bytes() throws FileNotFoundException {
            byte[] bytes = store(location).get(entryName);
            if (bytes == null) {
                throw new FileNotFoundException(toUri() + " has not been written");
            }
            return bytes;
        }
    }
}
