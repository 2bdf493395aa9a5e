package io.edgefn.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the files a deployment names (the document, package jars) only when they are regular
 * files within a size limit, and never reads past that limit.
 *
 * <p>A FIFO blocks the process that opens it until someone writes to it, and {@code /dev/zero}
 * never ends: both are refused from their attributes, before they are opened. A file that grows
 * while it is read is refused once it passes the limit. (A file swapped for a FIFO between the
 * check and the open would still block; the host stages packages into its own directory.)
 *
 * <p>Stateless.
 */
final class InputFiles {

    /** A file refused for what it is, not for an I/O failure; its message says why, e.g. "it is a directory". */
    static final class Refused extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private InputFiles() {}

    /**
     * Checks that {@code file} (following symbolic links) is a regular file of at most
     * {@code maxBytes} bytes, without opening it.
     *
     * @return its size
     * @throws Refused     when it is not a regular file or is too large
     * @throws IOException when its attributes cannot be read (e.g. {@code NoSuchFileException})
     */
    static long requireRegularFile(Path file, long maxBytes) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new Refused("it is " + kind(file, attributes) + ", not a regular file");
        }
        if (attributes.size() > maxBytes) {
            throw new Refused("it is " + attributes.size() + " bytes, more than the limit of " + limit(maxBytes));
        }
        return attributes.size();
    }

    /** The whole of {@code file}, which must be a regular file of at most {@code maxBytes} bytes. */
    static byte[] read(Path file, int maxBytes) throws IOException {
        requireRegularFile(file, maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw grew(maxBytes);
            }
            return bytes;
        }
    }

    /**
     * Copies {@code from}, which must be a regular file of at most {@code maxBytes} bytes, to
     * {@code to}, replacing it; on failure nothing is left at {@code to}.
     */
    static void copy(Path from, Path to, long maxBytes) throws IOException {
        requireRegularFile(from, maxBytes);
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
            byte[] buffer = new byte[64 * 1024];
            long copied = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                copied += n;
                if (copied > maxBytes) {
                    throw grew(maxBytes);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(to);
            } catch (IOException deleting) {
                e.addSuppressed(deleting);
            }
            throw e;
        }
    }

    /**
     * What went wrong reading a file, in words for a person: the reason of a {@link Refused}, or
     * what the file system said, without Java's exception names (a missing file is "there is no
     * such file", not {@code NoSuchFileException}).
     */
    static String describe(IOException e) {
        return switch (e) {
            case Refused r -> r.getMessage();
            case java.nio.file.NoSuchFileException n -> "there is no such file";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.NotDirectoryException n -> "a part of the path is not a directory";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            case java.io.FileNotFoundException f -> f.getMessage() == null ? "it cannot be opened" : f.getMessage();
            default -> e.getMessage() != null ? e.getMessage() : "an input/output error";
        };
    }

    static Refused grew(long maxBytes) {
        return new Refused("it grew past the limit of " + limit(maxBytes) + " while it was read");
    }

    /** {@code 4194304 bytes (4 MiB)}; {@code 100000000 bytes (95.4 MiB)}; {@code 512 bytes}. */
    static String limit(long maxBytes) {
        if (maxBytes < 1 << 20) {
            return maxBytes + " bytes";
        }
        String mib = maxBytes % (1 << 20) == 0 ? Long.toString(maxBytes >> 20)
                : String.format(java.util.Locale.ROOT, "%.1f", maxBytes / (double) (1 << 20));
        return maxBytes + " bytes (" + mib + " MiB)";
    }

    private static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            // The file type bits of st_mode, where the platform has them (Linux, macOS).
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            String kind = switch (mode & 0170000) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> null;
            };
            if (kind != null) {
                return kind;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // Not a Unix file system: say what is known.
        }
        return "a device, pipe or socket";
    }
}
