package io.edgefn.app.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Tells, when {@code edgefn run}'s JVM shuts down, a stop an operator asked for — a signal
 * (SIGTERM, SIGINT, SIGHUP) — from an exit nobody in the host asked for: a {@code System.exit} or
 * {@code Runtime.exit} reached by a function's code by a route the package scan cannot see
 * (reflection, a method handle, a class loaded from bytes), and names its caller.
 *
 * <p>How the caller is found: since JDK 21, {@code Runtime.exit} — which a signal's exit goes
 * through too — logs the stack of its caller to the system logger {@code java.lang.Runtime} at
 * {@code DEBUG}, on the exiting thread, before any shutdown hook starts. {@link #install()}
 * enables that logger (java.util.logging backs the system loggers in this application) with a
 * handler that keeps the first exit's stack. That works on every thread, virtual ones included,
 * which {@link Thread#getAllStackTraces()} does not list. Should nothing have been logged (the
 * logging configured away), the platform threads are searched for the one inside
 * {@code java.lang.Shutdown.exit}. A signal's exit is called by the JDK's
 * {@code java.lang.Terminator}; any other caller is unexpected, and so is a shutdown with no
 * exit call seen at all.
 *
 * <p>{@code Runtime.halt} runs no hook and cannot be seen: the process ends with the status the
 * caller chose.
 *
 * <p>Thread-safe: the handler runs on the exiting thread, {@link #cause()} on the shutdown
 * hook's.
 */
final class ExitWatch {

    /** The status of an exit the host did not ask for: EX_SOFTWARE of sysexits.h. */
    static final int UNEXPECTED_EXIT_STATUS = 70;

    /** The system logger the JDK logs {@code Runtime.exit} calls to. */
    private static final String RUNTIME_LOGGER = "java.lang.Runtime";

    /**
     * Why the JVM is shutting down.
     *
     * @param bySignal   whether a signal (the JDK's {@code Terminator}) asked for it
     * @param status     the status passed to {@code exit}, or null when not known
     * @param threadName the thread that called {@code exit}, or null when none was seen
     * @param stack      that thread's stack, innermost first; empty when none was seen
     */
    record Exit(boolean bySignal, Integer status, String threadName, List<StackTraceElement> stack) {

        /** Whether the host did not ask for it: the process must end with a failure status. */
        boolean unexpected() {
            return !bySignal;
        }

        /** The frame that called {@code exit}, past the JDK's reflection and method-handle frames; null when unknown. */
        StackTraceElement caller() {
            int i = afterExitFrames(stack);
            while (i >= 0 && i < stack.size() && isPlumbing(stack.get(i).getClassName())) {
                i++;
            }
            return i >= 0 && i < stack.size() ? stack.get(i) : null;
        }

        /** What to print: who asked for the exit, and its stack. */
        String describe() {
            if (threadName == null) {
                return "the JVM is shutting down and no exit call or signal was seen (the host did not ask for it)";
            }
            StringBuilder text = new StringBuilder();
            StackTraceElement caller = caller();
            text.append("System.exit/Runtime.exit(").append(status == null ? "?" : status).append(") was called by ")
                    .append(caller == null ? "an unknown caller" : caller.getClassName() + "." + caller.getMethodName()
                            + " (" + caller.getFileName() + ":" + caller.getLineNumber() + ")")
                    .append(" on thread ").append(threadName).append(", not by the host. The caller's stack:");
            for (int i = Math.max(0, afterExitFrames(stack)); i < stack.size(); i++) {
                text.append(System.lineSeparator()).append("\tat ").append(stack.get(i));
            }
            return text.toString();
        }
    }

    // Held strongly: java.util.logging keeps loggers weakly, and a collected one loses its level.
    private final Logger runtimeLogger;
    private final AtomicReference<Exit> logged = new AtomicReference<>();

    private ExitWatch(Logger runtimeLogger) {
        this.runtimeLogger = runtimeLogger;
    }

    /** Starts watching for exit calls; call before any function's code can run. */
    static ExitWatch install() {
        Logger logger = Logger.getLogger(RUNTIME_LOGGER);
        ExitWatch watch = new ExitWatch(logger);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Throwable where = record.getThrown();
                if (where != null) {
                    Thread t = Thread.currentThread();
                    String name = t.getName().isEmpty() ? t.toString() : t.getName(); // virtual threads have no name
                    watch.logged.compareAndSet(null, classify(name, where.getStackTrace(), statusIn(where.getMessage())));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        logger.setUseParentHandlers(false); // the exit is reported by the shutdown hook, not as a log line
        logger.addHandler(handler);
        logger.setLevel(Level.FINE); // System.Logger's DEBUG
        return watch;
    }

    /** Why the JVM is shutting down: the first exit call logged, else the thread found inside one. */
    Exit cause() {
        Exit seen = logged.get();
        if (seen != null) {
            return seen;
        }
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (afterExitFrames(Arrays.asList(e.getValue())) >= 0) {
                return classify(e.getKey().getName(), e.getValue(), null);
            }
        }
        return new Exit(false, null, null, List.of());
    }

    static Exit classify(String threadName, StackTraceElement[] stack, Integer status) {
        List<StackTraceElement> frames = List.of(stack);
        int i = afterExitFrames(frames);
        boolean bySignal = i >= 0 && i < frames.size() && (frames.get(i).getClassName().startsWith("java.lang.Terminator")
                || frames.get(i).getClassName().startsWith("jdk.internal.misc.Signal"));
        return new Exit(bySignal, status, threadName, frames);
    }

    /**
     * The index of the first frame below {@code java.lang.Shutdown.exit} and the
     * {@code Runtime.exit}/{@code System.exit} above it — the exit's caller — or -1 when the
     * stack is not in an exit.
     */
    private static int afterExitFrames(List<StackTraceElement> stack) {
        for (int i = 0; i < stack.size(); i++) {
            StackTraceElement f = stack.get(i);
            if (f.getClassName().equals("java.lang.Shutdown") && f.getMethodName().equals("exit")) {
                int j = i + 1;
                while (j < stack.size() && stack.get(j).getMethodName().equals("exit")
                        && (stack.get(j).getClassName().equals("java.lang.Runtime")
                        || stack.get(j).getClassName().equals("java.lang.System"))) {
                    j++;
                }
                return j;
            }
        }
        return -1;
    }

    /** Frames between a caller and the exit it reached through reflection or a method handle. */
    private static boolean isPlumbing(String className) {
        return className.startsWith("jdk.internal.reflect.") || className.startsWith("java.lang.reflect.")
                || className.startsWith("java.lang.invoke.") || className.startsWith("sun.reflect.");
    }

    /** N of the JDK's "Runtime.exit(N)" message, or null. */
    private static Integer statusIn(String message) {
        if (message == null || !message.startsWith("Runtime.exit(") || !message.endsWith(")")) {
            return null;
        }
        try {
            return Integer.parseInt(message.substring("Runtime.exit(".length(), message.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
