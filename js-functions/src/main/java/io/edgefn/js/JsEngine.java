package io.edgefn.js;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The host's one GraalVM Polyglot {@link Engine} for JavaScript functions, and the sandbox every
 * context of it gets. Created when the first JavaScript function of a host is wired, never
 * before: a host without JavaScript functions loads no Truffle class.
 *
 * <p><b>The sandbox.</b> Every context is built with no host access at all ({@link HostAccess#NONE},
 * no host class lookup: {@code Java.type} fails), no I/O ({@link IOAccess#NONE}: no file, no
 * socket, no {@code import} of anything), no threads, processes, native code, polyglot access or
 * environment variables, and without the shell globals GraalJS adds to ECMAScript ({@code load},
 * {@code print}, {@code console}, {@code Graal}, {@code Polyglot}, {@code Packages}). A function
 * reaches the host only through the proxies its {@link JsFunction} hands it for the bindings it
 * declared. Each context counts statements ({@link Options#statementLimit()} per invocation, reset
 * before each); past it the context is cancelled and replaced.
 *
 * <p><b>The heap.</b> Community GraalJS has no per-context heap limit. A guard samples the JVM's
 * used heap every {@link Options#heapCheckMillis()} while any JavaScript invocation runs; when two
 * samples in a row are above {@link Options#heapLimitBytes()} and a full collection does not bring
 * it below, every running JavaScript invocation is cancelled (its context closed, so what it allocated becomes garbage) and fails with a
 * message saying so. What remains unbounded is written down in docs/writing-functions.md.
 *
 * <p>Thread-safe: contexts may be created and used from any thread (each context by one thread at
 * a time); {@link #close} once, after the functions' contexts are closed.
 */
public final class JsEngine implements AutoCloseable {

    /**
     * How the engine bounds its functions.
     *
     * @param statementLimit  statements one invocation may run (the module's top level counts for
     *                        the context's first call), positive
     * @param heapLimitBytes  used heap above which running invocations are cancelled, positive
     * @param heapCheckMillis how often the heap is sampled while an invocation runs, positive
     */
    public record Options(long statementLimit, long heapLimitBytes, long heapCheckMillis) {

        /** Checks every value at once. */
        public Options {
            StringBuilder bad = new StringBuilder();
            if (statementLimit <= 0) {
                bad.append(" statementLimit ").append(statementLimit).append(" must be positive;");
            }
            if (heapLimitBytes <= 0) {
                bad.append(" heapLimitBytes ").append(heapLimitBytes).append(" must be positive;");
            }
            if (heapCheckMillis <= 0) {
                bad.append(" heapCheckMillis ").append(heapCheckMillis).append(" must be positive;");
            }
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException("JsEngine.Options:" + bad);
            }
        }

        /**
         * The defaults: 50 million statements per invocation (seconds of interpreted work, far
         * more than any message handler needs), the heap limit at 85% of the JVM's maximum heap,
         * sampled every 20 ms.
         */
        public static Options defaults() {
            return new Options(50_000_000L, (long) (Runtime.getRuntime().maxMemory() * 0.85), 20);
        }

        /** These options with another statement limit. */
        public Options withStatementLimit(long limit) {
            return new Options(limit, heapLimitBytes, heapCheckMillis);
        }

        /** These options with another heap limit. */
        public Options withHeapLimitBytes(long limit) {
            return new Options(statementLimit, limit, heapCheckMillis);
        }
    }

    private final Engine engine;
    private final Options options;
    private final ResourceLimits limits;
    private final Set<JsContext> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heapGuard;
    private final LongSupplier usedHeap;
    private final Runnable collect = System::gc;
    private int heapStrikes;

    private JsEngine(Options options, LongSupplier usedHeap) {
        this.options = options;
        this.usedHeap = usedHeap;
        // The interpreter warning would be printed once per engine; the JVM flags that enable
        // the optimizing runtime are in docs/writing-functions.md.
        this.engine = Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
        this.limits = ResourceLimits.newBuilder().statementLimit(options.statementLimit(), null).build();
        this.heapGuard = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgefn-js-heap-guard");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        heapGuard.scheduleWithFixedDelay(this::checkHeap, options.heapCheckMillis(), options.heapCheckMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A new engine with {@code options}; the first one in a JVM takes a second or so (class loading). */
    public static JsEngine create(Options options) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return new JsEngine(Objects.requireNonNull(options, "options"), () -> memory.getHeapMemoryUsage().getUsed());
    }

    /** The engine's options. */
    public Options options() {
        return options;
    }

    /**
     * Which runtime runs the scripts: Truffle's name for it, e.g. {@code Interpreted} on a stock
     * JDK (the fallback interpreter) or the optimizing runtime's name when the JVM flags enable it.
     */
    public String runtimeName() {
        return engine.getImplementationName();
    }

    /** A new sandboxed context (see the class comment); the caller closes it. */
    Context newContext() {
        return Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(name -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                // Only to set the options below (esm-eval-returns-exports, polyglot-builtin and
                // java-package-globals are marked experimental); the script cannot set options.
                .allowExperimentalOptions(true)
                .option("js.esm-eval-returns-exports", "true")
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.console", "false")
                .option("js.graal-builtin", "false")
                .option("js.polyglot-builtin", "false")
                .option("js.java-package-globals", "false")
                .option("js.commonjs-require", "false")
                .resourceLimits(limits)
                .build();
    }

    /** {@code context} starts running an invocation: the heap guard may cancel it. */
    void running(JsContext context) {
        running.add(context);
    }

    /** {@code context}'s invocation ended. */
    void idle(JsContext context) {
        running.remove(context);
    }

    /** On the guard's thread: cancels every running invocation when the heap stays above the limit. */
    private void checkHeap() {
        if (running.isEmpty()) {
            heapStrikes = 0;
            return;
        }
        long used = usedHeap.getAsLong();
        if (used <= options.heapLimitBytes()) {
            heapStrikes = 0;
            return;
        }
        // Two samples in a row, then a full collection: what is above the limit may be garbage
        // (a cancelled context's, say), and garbage must never cancel a function.
        if (++heapStrikes < 2) {
            return;
        }
        heapStrikes = 0;
        collect.run();
        used = usedHeap.getAsLong();
        if (used <= options.heapLimitBytes()) {
            return;
        }
        String reason = "the JVM heap holds " + (used >> 20) + " MiB, above the JavaScript heap limit of "
                + (options.heapLimitBytes() >> 20) + " MiB, while it ran; every running JavaScript invocation was"
                + " cancelled";
        for (JsContext c : running) {
            c.cancel(reason);
        }
    }

    /** Closes the engine, cancelling whatever still runs in it. */
    @Override
    public void close() {
        heapGuard.shutdownNow();
        for (JsContext c : running) {
            c.cancel("the host is stopping");
        }
        engine.close(true);
    }
}
