package io.edgefn.runtime.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets a repeated log line through at most once per interval and counts what it held back, so
 * that a failure hit a thousand times a second (a full disk refusing every output, a full queue
 * at 1 kHz) is reported, not flooded. The counters that matter are kept elsewhere; this only
 * decides about the log line.
 *
 * <p>Thread-safe.
 */
final class LogThrottle {

    private final long intervalNanos;
    private final LongSupplier ticker;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    /** At most one line per {@code intervalNanos} of {@code ticker} (nanoseconds, e.g. {@code System::nanoTime}). */
    LogThrottle(long intervalNanos, LongSupplier ticker) {
        this.intervalNanos = intervalNanos;
        this.ticker = ticker;
        this.nextAllowed = new AtomicLong(ticker.getAsLong());
    }

    /** One line every 10 s of {@link System#nanoTime()}. */
    static LogThrottle everyTenSeconds() {
        return new LogThrottle(10_000_000_000L, System::nanoTime);
    }

    /**
     * {@code -1} when no line may be logged now; otherwise the number of lines held back since the
     * last one that went through (0 or more), for that line to report.
     */
    long tryAcquire() {
        long now = ticker.getAsLong();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
