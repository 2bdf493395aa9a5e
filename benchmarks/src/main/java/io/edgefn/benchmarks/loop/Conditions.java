package io.edgefn.benchmarks.loop;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waits for a condition on state that offers no notification of its own (the host's counters),
 * by checking it every {@code interval} until a deadline. The interval is how often to look,
 * not how long things take: the wait ends as soon as the condition holds.
 */
final class Conditions {

    private Conditions() {
    }

    /**
     * Returns once {@code condition} holds; checks it every {@code interval}, reading the time
     * from {@code ticker} (nanoseconds).
     *
     * @throws TimeoutException naming {@code what} when it still does not hold after {@code timeout}
     */
    static void await(String what, LongSupplier ticker, Duration timeout, Duration interval, BooleanSupplier condition)
            throws TimeoutException, InterruptedException {
        long deadline = ticker.getAsLong() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (ticker.getAsLong() - deadline > 0) {
                throw new TimeoutException("waited " + timeout.toMillis() + " ms for " + what + "; it did not happen");
            }
            LockSupport.parkNanos(interval.toNanos());
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + what);
            }
        }
    }
}
