package io.edgefn.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real, small filesystem for disk-full tests: a tmpfs of a given size mounted on a folder, so
 * writes fail with a genuine {@code ENOSPC}. Mounting needs root (the build machine runs as root);
 * where it is refused, {@link #mounted()} is false and {@link #problem()} says why, for the test
 * to skip itself with that reason. {@link #close()} unmounts.
 *
 * <p>Not thread-safe: one test owns it.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path root;
    private final boolean mounted;
    private final String problem;

    private SmallDisk(Path root, boolean mounted, String problem) {
        this.root = root;
        this.mounted = mounted;
        this.problem = problem;
    }

    /** Mounts a tmpfs of {@code size} (as {@code mount -o size=…} takes it, e.g. {@code 2m}) on {@code folder}, creating it. */
    public static SmallDisk mount(Path folder, String size) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", folder.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean ok = p.waitFor() == 0;
        return new SmallDisk(folder, ok, ok ? "" : "cannot mount a tmpfs here (needs root): " + output);
    }

    /** Whether the small disk is mounted. */
    public boolean mounted() {
        return mounted;
    }

    /** Why it could not be mounted; empty when it is. */
    public String problem() {
        return problem;
    }

    /** The mounted folder. */
    public Path root() {
        return root;
    }

    /** Unmounts it (when it was mounted). */
    @Override
    public void close() throws IOException, InterruptedException {
        if (mounted) {
            new ProcessBuilder("umount", root.toString()).inheritIO().start().waitFor();
        }
    }
}
