package io.edgefn.app.cli;

import io.edgefn.runtime.DataDirectory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A host's data directory as the read-only commands ({@code status}, {@code buffer peek}) see it:
 * found without creating anything, and asked whether a host runs on it without taking its lock
 * for writing — they must work beside a running host and leave every byte as it was.
 *
 * <p>The demo keeps its host's data in {@code D/host} (beside its package and its ptys), so a
 * directory that holds no host data but has a {@code host} directory that does is taken to be a
 * demo's, and its {@code host} directory is used.
 *
 * @param root the directory the user named
 * @param host the host's data directory: {@code root}, or {@code root/host} for a demo's
 */
record HostDataDir(Path root, Path host) {

    /** The demo's subdirectory for its host (see {@code DemoScenario}). */
    static final String DEMO_HOST = "host";
    /** The offline buffer's directory in a host's data directory (see {@link DataDirectory#buffer()}). */
    static final String BUFFER = "buffer";
    private static final String LOCK = "lock";

    /**
     * The host data directory at {@code root} (or in it, for a demo's directory).
     *
     * @throws IllegalArgumentException if {@code root} is not a directory
     */
    static HostDataDir find(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no edgefn data directory at " + root);
        }
        Path demoHost = root.resolve(DEMO_HOST);
        boolean holdsHostData = Files.exists(root.resolve(LOCK)) || Files.isDirectory(root.resolve(BUFFER));
        boolean demo = !holdsHostData && (Files.exists(demoHost.resolve(LOCK)) || Files.isDirectory(demoHost.resolve(BUFFER)));
        return new HostDataDir(root, demo ? demoHost : root);
    }

    /** Whether this is a demo's directory, whose host data is in {@code host/}. */
    boolean isDemo() {
        return !host.equals(root);
    }

    /** The offline buffer's directory (it may not exist). */
    Path buffer() {
        return host.resolve(BUFFER);
    }

    /**
     * Whether a host runs on the directory: whether another holds its lock. Asked with a shared lock
     * on the lock file opened for reading, released at once, so that nothing is created or written.
     */
    boolean hostRunning() throws IOException {
        try (FileChannel channel = FileChannel.open(host.resolve(LOCK), StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (NoSuchFileException noLock) {
            return false; // no host ever ran here
        } catch (OverlappingFileLockException thisProcess) {
            return true; // the host runs in this very process (tests, embedding programs)
        }
    }

    /** How to name the directory in output: the root, and where the demo's host data is. */
    String describe() {
        return isDemo() ? root + " (a demo's directory; its host's data is in " + host + ")" : root.toString();
    }
}
