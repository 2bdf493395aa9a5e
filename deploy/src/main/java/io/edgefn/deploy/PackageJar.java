package io.edgefn.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A package jar opened for checking, within limits that keep a hostile jar from costing more than
 * a bounded amount of time and memory (a zip bomb).
 *
 * <p>On opening: the file must be a regular file of at most {@link Limits#maxFileBytes()}; the
 * zip's central directory may list at most {@link Limits#maxEntries()} entries, no name twice, and
 * their declared uncompressed sizes may add up to at most {@link Limits#maxUncompressedBytes()}.
 * While reading: every byte inflated counts against that same budget, so entries whose declared
 * sizes lie are stopped as soon as the budget runs out, and nothing after is inflated. Entries
 * that overlap (several entries pointing at one compressed stream) cannot be seen through
 * {@link ZipFile}; they declare their real sizes, so the declared total refuses them unread.
 *
 * <p>Not thread-safe: owned by the one check that opened it.
 */
final class PackageJar implements AutoCloseable {

    /**
     * The limits a package jar is held to.
     *
     * @param maxFileBytes         the largest jar file, in bytes
     * @param maxEntries           the most entries, directories included
     * @param maxUncompressedBytes the most bytes all entries may inflate to together
     */
    record Limits(long maxFileBytes, int maxEntries, long maxUncompressedBytes) {
        static final Limits DEFAULT = new Limits(FunctionPackage.MAX_JAR_BYTES, FunctionPackage.MAX_ENTRIES,
                FunctionPackage.MAX_UNCOMPRESSED_BYTES);
    }

    private final ZipFile zip;
    private final String file;
    private final String label;
    private final Limits limits;
    private final List<ZipEntry> entries;
    private long inflated;

    private PackageJar(ZipFile zip, String file, String label, Limits limits, List<ZipEntry> entries) {
        this.zip = zip;
        this.file = file;
        this.label = label;
        this.limits = limits;
        this.entries = entries;
    }

    /**
     * Opens and checks the jar at {@code file}.
     *
     * @param label how messages name the jar, e.g. {@code package /srv/pump.jar}
     * @throws PackageException when it is not a regular file within the size limit, not a zip, or
     *                          breaks a limit on its entries
     */
    static PackageJar open(Path file, String label, Limits limits) {
        return open(file, file.toString(), label, limits);
    }

    /** As {@link #open(Path, String, Limits)}, naming the file {@code shownFile} where a message names an entry of it. */
    static PackageJar open(Path file, String shownFile, String label, Limits limits) {
        String shown = Printable.of(label);
        ZipFile zip;
        try {
            InputFiles.requireRegularFile(file, limits.maxFileBytes());
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new PackageException(shown + " is not a jar (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackageException("cannot read " + shown + ": " + InputFiles.describe(e), e);
        }
        try {
            return new PackageJar(zip, Printable.of(shownFile), shown, limits, checkedEntries(zip, shown, limits));
        } catch (RuntimeException e) {
            closeQuietly(zip, e);
            throw e;
        }
    }

    private static List<ZipEntry> checkedEntries(ZipFile zip, String label, Limits limits) {
        if (zip.size() > limits.maxEntries()) {
            throw new PackageException(label + " has " + zip.size() + " entries, more than the limit of "
                    + limits.maxEntries());
        }
        List<ZipEntry> entries = new ArrayList<>(zip.size());
        Set<String> names = new HashSet<>();
        long declared = 0;
        for (ZipEntry entry : Collections.list(zip.entries())) {
            if (!names.add(entry.getName())) {
                throw new PackageException(label + " has two entries named " + Printable.of(entry.getName())
                        + "; which one a reader sees is not defined, so the jar is refused");
            }
            declared += Math.max(entry.getSize(), 0);
            if (declared > limits.maxUncompressedBytes()) {
                throw new PackageException(label + " declares more than the limit of "
                        + InputFiles.limit(limits.maxUncompressedBytes()) + " uncompressed, by entry "
                        + Printable.of(entry.getName()) + "; it is refused unread");
            }
            entries.add(entry);
        }
        return List.copyOf(entries);
    }

    /** Every entry, in central directory order. */
    List<ZipEntry> entries() {
        return entries;
    }

    /** The entry named {@code name} (or {@code name/}, a directory), or {@code null}. */
    ZipEntry entry(String name) {
        return zip.getEntry(name);
    }

    /** {@code /path/to.jar!/entry} for messages. */
    String where(ZipEntry entry) {
        return file + "!/" + Printable.of(entry.getName());
    }

    /**
     * The bytes of {@code entry}, at most {@code maxBytes + 1} of them (so that the caller can tell
     * an entry over its own limit); every byte read counts against the jar's uncompressed budget.
     *
     * @throws PackageException when the budget runs out (reading stops there) or the entry cannot
     *                          be read
     */
    byte[] read(ZipEntry entry, int maxBytes) {
        try (InputStream in = zip.getInputStream(entry)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(entry.getSize(), 32), 1 << 16));
            byte[] buffer = new byte[64 * 1024];
            int want = maxBytes + 1;
            for (int n; out.size() < want && (n = in.read(buffer, 0, Math.min(buffer.length, want - out.size()))) > 0; ) {
                inflated += n;
                if (inflated > limits.maxUncompressedBytes()) {
                    throw new PackageException(label + " inflates to more than the limit of "
                            + InputFiles.limit(limits.maxUncompressedBytes()) + "; reading stopped in entry "
                            + Printable.of(entry.getName()));
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (ZipException e) {
            throw new PackageException(where(entry) + " cannot be inflated: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackageException("cannot read " + where(entry) + ": " + InputFiles.describe(e), e);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            // Only reads were made; nothing is lost.
        }
    }

    private static void closeQuietly(ZipFile zip, Throwable failure) {
        try {
            zip.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
