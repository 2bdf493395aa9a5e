package io.edgefn.deploy;

import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.edgefn.index.IndexException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * A function package jar that has been checked before any of its code runs: it is the jar the
 * deployment names (by SHA-256), it stays within the limits on size and entries, it holds a valid
 * function index whose classes (and JavaScript functions' scripts) are in it, its manifest has no {@code Class-Path}, and its
 * bytecode makes none of the calls {@link BytecodeScanner} refuses.
 *
 * <p>The checks read the file as it is when {@link #open} runs; the host should load classes from
 * a copy it controls ({@link #stage}) so that what it loads is what was checked, and load them
 * with {@link #newClassLoader}, which reads nothing but this jar.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class FunctionPackage {

    /** The largest package jar, in bytes (256 MiB); a larger file is refused before it is read. */
    public static final long MAX_JAR_BYTES = 256L << 20;

    /** The most entries a package jar may have, directories included. */
    public static final int MAX_ENTRIES = 10_000;

    /**
     * The most bytes a package jar's entries may inflate to, together (256 MiB): checked against
     * the sizes the jar declares before anything is inflated, and against the bytes really
     * inflated while reading.
     */
    public static final long MAX_UNCOMPRESSED_BYTES = 256L << 20;

    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    private final Path jar;
    private final String sha256;
    private final FunctionIndex index;
    /** The JavaScript functions' scripts, by jar entry, read from the checked jar. */
    private final Map<String, String> scripts;

    /** The largest JavaScript function script, in bytes. */
    public static final int MAX_SCRIPT_BYTES = 1 << 20;

    private FunctionPackage(Path jar, String sha256, FunctionIndex index, Map<String, String> scripts) {
        this.jar = jar;
        this.sha256 = sha256;
        this.index = index;
        this.scripts = Map.copyOf(scripts);
    }

    /**
     * Opens and checks the package jar at {@code jar}.
     *
     * @param expectedSha256 the SHA-256 the jar must have (64 hex digits, any case), or {@code null}
     *                       not to check it
     * @throws PackageException when the file is not a regular file within {@link #MAX_JAR_BYTES},
     *                          cannot be read or is not a jar, its SHA-256 differs (both hashes are
     *                          in the message), it breaks the limits on entries
     *                          ({@link #MAX_ENTRIES}, {@link #MAX_UNCOMPRESSED_BYTES}, no duplicate
     *                          names), it has no function index or a bad one, the index names
     *                          classes the jar lacks, its manifest has a {@code Class-Path}, or its
     *                          bytecode makes forbidden calls (each is named)
     */
    public static FunctionPackage open(Path jar, String expectedSha256) {
        return open(jar, expectedSha256, null, PackageJar.Limits.DEFAULT);
    }

    /**
     * As {@link #open(Path, String)}, naming the package {@code shownAs} in every message: the
     * user's own file when {@code jar} is the host's staged copy of it (see {@link #stage}).
     */
    public static FunctionPackage open(Path jar, String expectedSha256, String shownAs) {
        return open(jar, expectedSha256, Objects.requireNonNull(shownAs, "shownAs"), PackageJar.Limits.DEFAULT);
    }

    /** As {@link #open(Path, String)}, with other limits (for tests of the limits). */
    static FunctionPackage open(Path jar, String expectedSha256, PackageJar.Limits limits) {
        return open(jar, expectedSha256, null, limits);
    }

    private static FunctionPackage open(Path jar, String expectedSha256, String shownAs, PackageJar.Limits limits) {
        Objects.requireNonNull(jar, "jar");
        Path file = jar.toAbsolutePath().normalize();
        String raw = shownAs != null ? shownAs : file.toString();
        String shown = Printable.of(raw);
        String actual = sha256(file, shown, limits.maxFileBytes());
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
            throw new PackageException("package " + shown + " has SHA-256 " + actual + " but the deployment expects "
                    + Printable.of(expectedSha256.toLowerCase(Locale.ROOT)) + "; it is not the jar the deployment names");
        }
        try (PackageJar opened = PackageJar.open(file, raw, "package " + raw, limits)) {
            FunctionIndex index = readIndex(opened, shown);
            Map<String, String> scripts = readScripts(opened, index, shown);
            refuseClassPath(opened, shown);
            List<ForbiddenCall> forbidden = BytecodeScanner.scan(opened);
            if (!forbidden.isEmpty()) {
                StringBuilder s = new StringBuilder("package ").append(shown).append(" is refused: its code makes calls"
                        + " the host does not allow (").append(forbidden.size())
                        .append(forbidden.size() == 1 ? " call):" : " calls):");
                forbidden.forEach(c -> s.append("\n  ").append(Printable.of(c.toString())));
                throw new PackageException(s.toString(), List.of(), forbidden, null);
            }
            return new FunctionPackage(file, actual, index, scripts);
        }
    }

    /**
     * What {@link #check} found: the jar's hash, its function index when it could be read, and every
     * problem.
     *
     * @param jar      the jar's absolute path
     * @param sha256   its SHA-256, 64 lower-case hex digits, or {@code null} when it could not be read
     * @param index    its function index, or {@code null} when it has none or a bad one
     * @param problems every problem, each a message a person can act on; empty when the host would
     *                 load the package
     */
    public record Check(Path jar, String sha256, FunctionIndex index, List<String> problems) {

        /** Copies {@code problems}. */
        public Check {
            problems = List.copyOf(problems);
        }

        /** Whether the host would load the package: no problem. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Runs the checks {@link #open} runs, as the host runs them at load, but does not stop at the
     * first failing one: the jar's limits, its function index and the classes (or scripts) it
     * names, the manifest's {@code Class-Path}, and the bytecode scan each add their problems, so
     * a package's author sees them all before it ships ({@code edgefn package check}). Only a jar
     * that cannot be read at all stops the checks.
     */
    public static Check check(Path jar) {
        Objects.requireNonNull(jar, "jar");
        Path file = jar.toAbsolutePath().normalize();
        String shown = Printable.of(file.toString());
        List<String> problems = new ArrayList<>();
        String sha;
        try {
            sha = sha256(file, shown, PackageJar.Limits.DEFAULT.maxFileBytes());
        } catch (PackageException e) {
            return new Check(file, null, null, List.of(e.getMessage()));
        }
        FunctionIndex index = null;
        try (PackageJar opened = PackageJar.open(file, file.toString(), "package " + file, PackageJar.Limits.DEFAULT)) {
            try {
                index = readIndex(opened, shown);
                readScripts(opened, index, shown);
            } catch (PackageException e) {
                problems.add(e.getMessage());
            }
            try {
                refuseClassPath(opened, shown);
            } catch (PackageException e) {
                problems.add(e.getMessage());
            }
            List<ForbiddenCall> forbidden = BytecodeScanner.scan(opened);
            if (!forbidden.isEmpty()) {
                StringBuilder s = new StringBuilder("its code makes calls the host does not allow (")
                        .append(forbidden.size()).append(forbidden.size() == 1 ? " call):" : " calls):");
                forbidden.forEach(c -> s.append("\n  ").append(Printable.of(c.toString())));
                problems.add(s.toString());
            }
        } catch (PackageException e) {
            problems.add(e.getMessage());
        }
        return new Check(file, sha, index, problems);
    }

    /**
     * Copies the package jar at {@code source} to {@code target} (replacing it) so that the host
     * loads a file nobody else writes; {@link #open} then checks the copy.
     *
     * @return {@code target}
     * @throws PackageException when {@code source} is not a regular file of at most
     *                          {@link #MAX_JAR_BYTES} (a FIFO or {@code /dev/zero} is refused
     *                          before it is opened), or cannot be read or copied; nothing is then
     *                          left at {@code target}
     */
    public static Path stage(Path source, Path target) {
        return stage(source, target, source.toString());
    }

    /** As {@link #stage(Path, Path)}, naming the package {@code shownAs} in messages. */
    public static Path stage(Path source, Path target, String shownAs) {
        try {
            InputFiles.copy(source, target, MAX_JAR_BYTES);
            return target;
        } catch (IOException e) {
            throw new PackageException("cannot read package " + Printable.of(shownAs) + ": " + InputFiles.describe(e), e);
        }
    }

    /**
     * A new class loader for this package's classes, named {@code name}, delegating first to
     * {@code parent}; the caller closes it.
     *
     * @throws PackageException when the jar cannot be opened
     */
    public PackageClassLoader newClassLoader(String name, ClassLoader parent) {
        try {
            return new PackageClassLoader(name, jar, parent);
        } catch (IOException e) {
            throw new PackageException("cannot open package " + Printable.of(jar) + ": " + e, e);
        }
    }

    /** The package's function index. */
    public FunctionIndex index() {
        return index;
    }

    /** The jar's absolute path. */
    public Path jar() {
        return jar;
    }

    /** The jar's SHA-256, 64 lower-case hex digits. */
    public String sha256() {
        return sha256;
    }

    /** The SHA-256 of {@code file}'s bytes, 64 lower-case hex digits; the file must be a regular file within {@code maxBytes}. */
    static String sha256(Path file, String shown, long maxBytes) {
        try {
            InputFiles.requireRegularFile(file, maxBytes);
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                long read = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    read += n;
                    if (read > maxBytes) {
                        throw InputFiles.grew(maxBytes);
                    }
                    digest.update(buffer, 0, n);
                }
                return HexFormat.of().formatHex(digest.digest());
            }
        } catch (IOException e) {
            throw new PackageException("cannot read package " + shown + ": " + InputFiles.describe(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static FunctionIndex readIndex(PackageJar jar, String shown) {
        ZipEntry entry = jar.entry(FunctionIndex.RESOURCE);
        if (entry == null) {
            throw new PackageException("package " + shown + " has no function index " + FunctionIndex.RESOURCE
                    + "; build it with edgefn-processor on the annotation processor path");
        }
        FunctionIndex index;
        try {
            index = FunctionIndex.parse(new ByteArrayInputStream(jar.read(entry, FunctionIndex.MAX_BYTES)),
                    shown + "!/" + FunctionIndex.RESOURCE);
        } catch (IndexException e) {
            throw new PackageException(e.getMessage(), e.problems(), List.of(), e);
        }
        List<String> missing = new ArrayList<>();
        for (FunctionDescriptor f : index.functions()) {
            if (f.isJs()) {
                if (jar.entry(f.source()) == null) {
                    missing.add(Printable.of("function '" + f.name() + "' names script " + f.source()
                            + ", but the jar has no such entry"));
                }
                continue;
            }
            String entryName = f.className().replace('.', '/') + ".class";
            if (jar.entry(entryName) == null) {
                missing.add(Printable.of("function '" + f.name() + "' names class " + f.className()
                        + ", but the jar has no " + entryName));
            }
        }
        if (!missing.isEmpty()) {
            throw new PackageException("package " + shown + " does not match its function index:\n  "
                    + String.join("\n  ", missing));
        }
        return index;
    }

    /** The scripts of the index's JavaScript functions, as UTF-8 text, at most {@link #MAX_SCRIPT_BYTES} each. */
    private static Map<String, String> readScripts(PackageJar jar, FunctionIndex index, String shown) {
        Map<String, String> scripts = new HashMap<>();
        for (FunctionDescriptor f : index.functions()) {
            if (f.isJs() && !scripts.containsKey(f.source())) {
                ZipEntry entry = jar.entry(f.source());
                byte[] bytes = jar.read(entry, MAX_SCRIPT_BYTES);
                if (bytes.length > MAX_SCRIPT_BYTES) {
                    throw new PackageException(jar.where(entry) + ", the script of function '" + f.name()
                            + "', is larger than " + MAX_SCRIPT_BYTES + " bytes");
                }
                scripts.put(f.source(), new String(bytes, StandardCharsets.UTF_8));
            }
        }
        return scripts;
    }

    /**
     * The script {@code source} of a JavaScript function of this package, as it was when the jar
     * was checked.
     *
     * @throws IllegalArgumentException when no JavaScript function of the index names it
     */
    public String script(String source) {
        String code = scripts.get(source);
        if (code == null) {
            throw new IllegalArgumentException("package " + jar + " has no JavaScript function script " + source);
        }
        return code;
    }

    /**
     * Refuses a manifest with a {@code Class-Path}: a class loader that follows it loads jars that
     * were never checked. Every entry named like the manifest, in any case, is read, because
     * {@link java.util.jar.JarFile} finds the manifest ignoring case.
     */
    private static void refuseClassPath(PackageJar jar, String shown) {
        for (ZipEntry entry : jar.entries()) {
            if (!entry.getName().equalsIgnoreCase(MANIFEST)) {
                continue;
            }
            byte[] bytes = jar.read(entry, BytecodeScanner.MAX_CLASS_BYTES);
            Manifest manifest;
            try {
                manifest = new Manifest(new ByteArrayInputStream(bytes));
            } catch (IOException e) {
                throw new PackageException(jar.where(entry) + " is not a valid manifest: " + e.getMessage(), e);
            }
            String classPath = manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath != null) {
                String value = classPath.length() > 200 ? classPath.substring(0, 200) + "…" : classPath;
                throw new PackageException("package " + shown + " is refused: its manifest " + Printable.of(entry.getName())
                        + " has a Class-Path (\"" + Printable.of(value) + "\"), and the jars it names would never be"
                        + " checked; bundle what the package needs in the package jar instead");
            }
        }
    }

    @Override
    public String toString() {
        return "FunctionPackage[" + jar + ", " + index.functions().size() + " functions]";
    }
}
