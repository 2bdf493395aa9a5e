package io.edgefn.deploy;

import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.edgefn.index.IndexException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A function package jar that has been checked before any of its code runs: it is the jar the
 * deployment names (by SHA-256), it holds a valid function index whose classes are in it, and its
 * bytecode does not call {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}.
 *
 * <p>The checks read the file as it is when {@link #open} runs; the host should load classes from
 * a copy it controls (or a file nobody else can write) so that what it loads is what was checked.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class FunctionPackage {

    private final Path jar;
    private final String sha256;
    private final FunctionIndex index;

    private FunctionPackage(Path jar, String sha256, FunctionIndex index) {
        this.jar = jar;
        this.sha256 = sha256;
        this.index = index;
    }

    /**
     * Opens and checks the package jar at {@code jar}.
     *
     * @param expectedSha256 the SHA-256 the jar must have (64 hex digits, any case), or {@code null}
     *                       not to check it
     * @throws PackageException when the file cannot be read or is not a jar, its SHA-256 differs
     *                          (both hashes are in the message), it has no function index or a bad
     *                          one, the index names classes the jar lacks, or its bytecode makes
     *                          forbidden calls (each is named)
     */
    public static FunctionPackage open(Path jar, String expectedSha256) {
        Objects.requireNonNull(jar, "jar");
        Path file = jar.toAbsolutePath().normalize();
        String actual = sha256(file);
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
            throw new PackageException("package " + file + " has SHA-256 " + actual + " but the deployment expects "
                    + expectedSha256.toLowerCase(Locale.ROOT) + "; it is not the jar the deployment names");
        }
        FunctionIndex index = readIndex(file);
        List<ForbiddenCall> forbidden = BytecodeScanner.scan(file);
        if (!forbidden.isEmpty()) {
            StringBuilder s = new StringBuilder("package ").append(file).append(" is refused: its code calls what would"
                    + " stop the whole host (").append(forbidden.size()).append(forbidden.size() == 1 ? " call):" : " calls):");
            forbidden.forEach(c -> s.append("\n  ").append(c));
            throw new PackageException(s.toString(), List.of(), forbidden, null);
        }
        return new FunctionPackage(file, actual, index);
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

    /** The SHA-256 of {@code file}'s bytes, 64 lower-case hex digits. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new PackageException("cannot read package " + file + ": " + e.getClass().getSimpleName() + " "
                    + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static FunctionIndex readIndex(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(FunctionIndex.RESOURCE);
            if (entry == null) {
                throw new PackageException("package " + file + " has no function index " + FunctionIndex.RESOURCE
                        + "; build it with edgefn-processor on the annotation processor path");
            }
            FunctionIndex index;
            try (InputStream in = zip.getInputStream(entry)) {
                index = FunctionIndex.parse(in, file + "!/" + FunctionIndex.RESOURCE);
            } catch (IndexException e) {
                throw new PackageException(e.getMessage(), e.problems(), List.of(), e);
            }
            List<String> missing = new ArrayList<>();
            for (FunctionDescriptor f : index.functions()) {
                String entryName = f.className().replace('.', '/') + ".class";
                if (zip.getEntry(entryName) == null) {
                    missing.add("function '" + f.name() + "' names class " + f.className() + ", but the jar has no "
                            + entryName);
                }
            }
            if (!missing.isEmpty()) {
                throw new PackageException("package " + file + " does not match its function index:\n  "
                        + String.join("\n  ", missing));
            }
            return index;
        } catch (ZipException e) {
            throw new PackageException("package " + file + " is not a jar (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackageException("cannot read package " + file + ": " + e.getClass().getSimpleName() + " "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "FunctionPackage[" + jar + ", " + index.functions().size() + " functions]";
    }
}
