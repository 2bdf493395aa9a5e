package io.edgefn.js;

import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Turns a folder of JavaScript function modules into a function package: a jar holding each
 * script under {@code js/} and the function index ({@link FunctionIndex#RESOURCE}) with one
 * {@code "runtime": "js"} entry per module, so that the package is checked, hashed and deployed
 * exactly like a Java one. Each {@code *.js} or {@code *.mjs} file of the folder (and its
 * sub-folders) is one function; its declaration is read and checked with {@link JsDeclaration}.
 *
 * <p>The jar is reproducible: entries in name order, every entry time fixed, so the same scripts
 * give the same SHA-256. Stateless; {@link #pack} from any thread.
 */
public final class JsPackager {

    /** Where scripts go in the jar. */
    public static final String SCRIPT_FOLDER = "js/";

    /** The time of every entry: fixed, as Maven's {@code project.build.outputTimestamp} fixes it. */
    private static final FileTime ENTRY_TIME = FileTime.fromMillis(1767225600000L); // 2026-01-01T00:00:00Z

    /** The largest script read, in bytes. */
    public static final int MAX_SCRIPT_BYTES = 1 << 20;

    private JsPackager() {
    }

    /**
     * Packs {@code args[0]} (a folder) into {@code args[1]} (a jar): for the build, which packs
     * example functions with this, outside the {@code edgefn} command line.
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: JsPackager DIR JAR");
            System.exit(2);
        }
        try (JsEngine engine = JsEngine.create(JsEngine.Options.defaults())) {
            FunctionIndex index = pack(engine, Path.of(args[0]), Path.of(args[1]));
            System.out.println("packed " + index.functions().size() + " JavaScript function(s) into " + args[1]);
        } catch (JsException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Packs every module under {@code folder} into the jar {@code out} (replaced atomically).
     *
     * @return the index written into the jar
     * @throws JsException when the folder has no module, a module is too large or unreadable, a
     *                     declaration has problems (all of them listed, per module), or two modules
     *                     declare one function name
     */
    public static FunctionIndex pack(JsEngine engine, Path folder, Path out) {
        Map<String, String> scripts = scripts(folder);
        List<String> problems = new ArrayList<>();
        Map<String, FunctionDescriptor> functions = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : scripts.entrySet()) {
            try {
                FunctionDescriptor f = JsDeclaration.read(engine, s.getKey(), s.getValue());
                FunctionDescriptor twin = functions.putIfAbsent(f.name(), f);
                if (twin != null) {
                    problems.add(s.getKey() + ": function name '" + f.name() + "' is also declared by " + twin.source());
                }
            } catch (JsException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new JsException("cannot package " + folder + ":\n" + String.join("\n", problems), problems, null);
        }
        FunctionIndex index = new FunctionIndex(FunctionIndex.FORMAT, List.copyOf(functions.values()));
        // What the host will read must read back: the same checks FunctionPackage.open runs.
        FunctionIndex.parse(new java.io.ByteArrayInputStream(index.toJson().getBytes(StandardCharsets.UTF_8)),
                out + "!/" + FunctionIndex.RESOURCE);
        write(out, index, scripts);
        return index;
    }

    /** Every module under {@code folder}, by its jar entry name, in name order. */
    private static Map<String, String> scripts(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new JsException("cannot package " + folder + ": it is not a folder");
        }
        Map<String, String> scripts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".js") || p.getFileName().toString().endsWith(".mjs"))
                    .toList()) {
                if (Files.size(file) > MAX_SCRIPT_BYTES) {
                    throw new JsException(file + " is larger than " + MAX_SCRIPT_BYTES + " bytes");
                }
                String entry = SCRIPT_FOLDER + folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                scripts.put(entry, Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new JsException("cannot read " + folder + ": " + e, e);
        }
        if (scripts.isEmpty()) {
            throw new JsException("cannot package " + folder + ": it holds no .js or .mjs module");
        }
        return scripts;
    }

    private static void write(Path out, FunctionIndex index, Map<String, String> scripts) {
        Map<String, byte[]> entries = new TreeMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: edgefn package js\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        entries.put(FunctionIndex.RESOURCE, index.toJson().getBytes(StandardCharsets.UTF_8));
        scripts.forEach((name, code) -> entries.put(name, code.getBytes(StandardCharsets.UTF_8)));
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".edgefn-js-", ".jar");
            try {
                try (OutputStream file = Files.newOutputStream(temp); ZipOutputStream zip = new ZipOutputStream(file)) {
                    // The manifest first, as jar readers expect; then the rest in name order.
                    put(zip, "META-INF/MANIFEST.MF", entries.remove("META-INF/MANIFEST.MF"));
                    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                        put(zip, e.getKey(), e.getValue());
                    }
                }
                Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new JsException("cannot write " + out + ": " + e, e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setLastModifiedTime(ENTRY_TIME);
        entry.setCreationTime(ENTRY_TIME);
        entry.setLastAccessTime(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}
