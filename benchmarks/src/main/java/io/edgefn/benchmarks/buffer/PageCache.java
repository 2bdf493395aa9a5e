package io.edgefn.benchmarks.buffer;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Takes files out of the page cache so that a replay reads the disk: {@code fdatasync} then
 * {@code posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)} on each file, called in libc through the
 * Foreign Function &amp; Memory API ({@code java.lang.foreign.Linker}); when that is not available,
 * {@code echo 1 > /proc/sys/vm/drop_caches} as root. The API is reached reflectively because this
 * module compiles to Java 21 bytecode, where {@code java.lang.foreign} is still a preview API; the
 * benchmarks run on the JDK 25 that {@code ./edgefn} finds, where it is final. Stateless; blocking.
 */
final class PageCache {

    /** {@code POSIX_FADV_DONTNEED} on Linux. */
    private static final int POSIX_FADV_DONTNEED = 4;
    /** {@code O_RDONLY}. */
    private static final int O_RDONLY = 0;

    private PageCache() {
    }

    /**
     * Evicts every regular file under {@code dir} from the page cache; returns how, as the JSON's
     * {@code replayCache} says it: {@code posix_fadvise(POSIX_FADV_DONTNEED)} or {@code drop_caches}.
     *
     * @throws IOException if neither way works (the message says why)
     */
    static String evict(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        Optional<Libc> libc = Libc.load();
        if (libc.isPresent()) {
            for (Path f : files) {
                libc.get().dontNeed(f);
            }
            return "posix_fadvise(POSIX_FADV_DONTNEED)";
        }
        Path drop = Path.of("/proc/sys/vm/drop_caches");
        try {
            new ProcessBuilder("sync").start().waitFor();
            Files.writeString(drop, "1\n");
            return "drop_caches";
        } catch (IOException | InterruptedException e) {
            throw new IOException("cannot take the replayed files out of the page cache: the FFM API is not "
                    + "available (" + Libc.unavailable + ") and writing " + drop + " failed (" + e.getMessage()
                    + "; it needs root)", e);
        }
    }

    /** {@code open}, {@code fdatasync}, {@code posix_fadvise} and {@code close} of libc, through FFM. */
    private static final class Libc {
        static String unavailable = "";
        private final MethodHandle open;
        private final MethodHandle fdatasync;
        private final MethodHandle fadvise;
        private final MethodHandle close;
        private final Class<?> arenaClass;
        private final Method allocateFrom;

        private Libc(MethodHandle open, MethodHandle fdatasync, MethodHandle fadvise, MethodHandle close,
                     Class<?> arenaClass, Method allocateFrom) {
            this.open = open;
            this.fdatasync = fdatasync;
            this.fadvise = fadvise;
            this.close = close;
            this.arenaClass = arenaClass;
            this.allocateFrom = allocateFrom;
        }

        static Optional<Libc> load() {
            try {
                Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
                Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
                Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> valueC = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
                Object jInt = valueC.getField("JAVA_INT").get(null);
                Object jLong = valueC.getField("JAVA_LONG").get(null);
                Object address = valueC.getField("ADDRESS").get(null);
                Object linker = linkerC.getMethod("nativeLinker").invoke(null);
                Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
                Method find = lookupC.getMethod("find", String.class);
                Method of = descC.getMethod("of", layoutC, layoutC.arrayType());
                Method downcall = linkerC.getMethod("downcallHandle", segmentC, descC, optionC.arrayType());
                Object noOptions = Array.newInstance(optionC, 0);
                // int open(const char *path, int flags, ...): variadic after the second argument.
                Object variadic = Array.newInstance(optionC, 1);
                Array.set(variadic, 0, optionC.getMethod("firstVariadicArg", int.class).invoke(null, 2));
                MethodHandle open = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "open"),
                        of.invoke(null, jInt, layouts(layoutC, address, jInt)), variadic);
                MethodHandle fdatasync = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "fdatasync"),
                        of.invoke(null, jInt, layouts(layoutC, jInt)), noOptions);
                MethodHandle fadvise = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "posix_fadvise"),
                        of.invoke(null, jInt, layouts(layoutC, jInt, jLong, jLong, jInt)), noOptions);
                MethodHandle close = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "close"),
                        of.invoke(null, jInt, layouts(layoutC, jInt)), noOptions);
                Method allocateFrom = Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocateFrom", String.class);
                return Optional.of(new Libc(open, fdatasync, fadvise, close, arenaC, allocateFrom));
            } catch (ReflectiveOperationException | RuntimeException e) {
                unavailable = e.getClass().getSimpleName() + ": " + e.getMessage();
                return Optional.empty();
            }
        }

        private static Object symbol(Method find, Object lookup, String name) throws ReflectiveOperationException {
            Optional<?> s = (Optional<?>) find.invoke(lookup, name);
            return s.orElseThrow(() -> new IllegalStateException("libc has no " + name));
        }

        private static Object layouts(Class<?> layoutC, Object... layouts) {
            Object array = Array.newInstance(layoutC, layouts.length);
            for (int i = 0; i < layouts.length; i++) {
                Array.set(array, i, layouts[i]);
            }
            return array;
        }

        /** fdatasync then POSIX_FADV_DONTNEED over the whole file. */
        void dontNeed(Path file) throws IOException {
            try (AutoCloseable arena = (AutoCloseable) arenaClass.getMethod("ofConfined").invoke(null)) {
                Object path = allocateFrom.invoke(arena, file.toAbsolutePath().toString());
                int fd = (int) open.invokeWithArguments(path, O_RDONLY);
                if (fd < 0) {
                    throw new IOException("open(" + file + ") failed");
                }
                try {
                    int synced = (int) fdatasync.invokeWithArguments(fd);
                    int advised = (int) fadvise.invokeWithArguments(fd, 0L, 0L, POSIX_FADV_DONTNEED);
                    if (synced != 0 || advised != 0) {
                        throw new IOException("fdatasync/posix_fadvise(" + file + ") failed: " + synced + "/" + advised);
                    }
                } finally {
                    close.invokeWithArguments(fd);
                }
            } catch (IOException e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException("posix_fadvise through the FFM API failed on " + file + ": " + e, e);
            }
        }
    }

    /**
     * The share of {@code file}'s pages resident in the page cache, from {@code fincore}'s view
     * ({@code /usr/bin/fincore}, util-linux), or NaN when it cannot tell; a check that eviction worked.
     */
    static double residentShare(Path file) {
        try {
            Process p = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES,SIZE",
                    file.toAbsolutePath().toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                return Double.NaN;
            }
            String[] f = out.split("\\s+");
            double size = Double.parseDouble(f[1]);
            return size == 0 ? 0 : Double.parseDouble(f[0]) / size;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
