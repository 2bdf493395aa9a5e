package io.edgefn.benchmarks.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a benchmark ran on, as a saved result records it: the CPU and its cores, the kernel, the
 * disk and file system holding a directory, the JDK, and the load average. Read from
 * {@code /proc} and {@code /sys} on Linux; a value the machine does not tell is {@code null}
 * rather than a guess. Immutable; {@link #describe(Path)} does blocking file reads.
 *
 * @param cores the processors the JVM may use
 * @param cpuModel the CPU's model name ({@code /proc/cpuinfo})
 * @param kernel the kernel release ({@code /proc/sys/kernel/osrelease})
 * @param memoryMb the machine's memory in MiB ({@code /proc/meminfo})
 * @param jdk the JVM's vendor and version
 * @param disk the device, file system and kind of the disk holding the benchmark's directory
 * @param loadAverage the 1-, 5- and 15-minute load averages when the description was taken
 */
public record MachineInfo(int cores, String cpuModel, String kernel, Long memoryMb, String jdk, Disk disk,
                          List<Double> loadAverage) {

    /**
     * The disk under a directory.
     *
     * @param directory the directory asked about
     * @param device the mounted device ({@code /dev/vda}), or {@code null}
     * @param fileSystem the file system type ({@code ext4}, {@code tmpfs}…), or {@code null}
     * @param mountPoint where it is mounted, or {@code null}
     * @param rotational whether the block device says it rotates, or {@code null} when unknown
     * @param model the block device's model, or {@code null}
     */
    public record Disk(String directory, String device, String fileSystem, String mountPoint, Boolean rotational,
                       String model) {

        /** Whether the directory is in memory, so an fsync there proves nothing about a disk. */
        public boolean inMemory() {
            return "tmpfs".equals(fileSystem) || "ramfs".equals(fileSystem);
        }
    }

    /** Describes this machine, with the disk that holds {@code directory}. */
    public static MachineInfo describe(Path directory) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                firstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(System.getProperty("os.version")),
                readMemoryMb(), System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                disk(directory), loadAverageNow());
    }

    /** The machine as plain JSON values, for a result file. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", cores);
        out.put("cpuModel", cpuModel);
        out.put("kernel", kernel);
        out.put("memoryMb", memoryMb);
        out.put("jdk", jdk);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("directory", disk.directory());
        d.put("device", disk.device());
        d.put("fileSystem", disk.fileSystem());
        d.put("mountPoint", disk.mountPoint());
        d.put("rotational", disk.rotational());
        d.put("model", disk.model());
        out.put("disk", d);
        out.put("loadAverage", loadAverage);
        return out;
    }

    /** The 1-, 5- and 15-minute load averages now, or an empty list where {@code /proc} has none. */
    public static List<Double> loadAverageNow() {
        return firstLine(Path.of("/proc/loadavg")).map(line -> {
            String[] parts = line.trim().split("\\s+");
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < 3 && i < parts.length; i++) {
                out.add(Double.parseDouble(parts[i]));
            }
            return out;
        }).orElse(List.of());
    }

    /** The disk that holds {@code directory}: the longest mount point in {@code /proc/mounts} above it. */
    static Disk disk(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        String device = null;
        String fileSystem = null;
        String mountPoint = null;
        try {
            Path real = Files.exists(dir) ? dir.toRealPath() : dir;
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 3) {
                    continue;
                }
                String mount = f[1].replace("\\040", " ");
                if (real.startsWith(mount) && (mountPoint == null || mount.length() > mountPoint.length())) {
                    device = f[0];
                    mountPoint = mount;
                    fileSystem = f[2];
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unreadable: the disk stays unknown
        }
        Boolean rotational = null;
        String model = null;
        if (device != null && device.startsWith("/dev/")) {
            String name = Path.of(device).getFileName().toString();
            Path block = blockDevice(name);
            if (block != null) {
                rotational = firstLine(block.resolve("queue/rotational")).map("1"::equals).orElse(null);
                model = firstLine(block.resolve("device/model")).map(String::trim).orElse(null);
            }
        }
        return new Disk(dir.toString(), device, fileSystem, mountPoint, rotational, model);
    }

    /** {@code /sys/block/<disk>} for a disk or one of its partitions ({@code vda1} → {@code vda}). */
    private static Path blockDevice(String name) {
        Path direct = Path.of("/sys/block", name);
        if (Files.isDirectory(direct)) {
            return direct;
        }
        Path partition = Path.of("/sys/class/block", name);
        if (Files.exists(partition)) {
            try {
                Path parent = partition.toRealPath().getParent();
                if (parent != null && Files.exists(parent.resolve("queue/rotational"))) {
                    return parent;
                }
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }

    private static Long readMemoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static Optional<String> firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
