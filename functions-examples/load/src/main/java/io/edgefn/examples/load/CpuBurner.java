package io.edgefn.examples.load;

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.TimerTrigger;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A load generator for benchmarks: a function that does nothing useful and keeps CPU cores busy,
 * standing in for a heavy neighbour (image analytics, a compression job) on the same gateway.
 *
 * <p>Every 10 ms a timer tick busy-spins for {@code burnMillis} (setting, default 0: the tick
 * returns at once). Up to two ticks run at once, so a {@code burnMillis} near 20 keeps two cores
 * busy nearly all the time, and 8 keeps one core busy 80% of the time. The loop benchmark
 * ({@code edgefn bench loop}) runs it beside the pump functions to show that the safety path
 * keeps its latency while other functions burn CPU.
 *
 * <p>Runs up to {@code maxConcurrency} ticks at once; it keeps no state but a result sink that
 * stops the JIT from removing the spin, so it needs no lock.
 */
@EdgeFunction(value = "cpu-burner", maxConcurrency = 2, retries = 0)
public class CpuBurner {

    /** The most a tick may burn, in milliseconds: a typo must not wedge a tick for minutes. */
    static final long MAX_BURN_MILLIS = 1_000;

    /** Written after every spin so the JIT cannot drop the arithmetic as dead code. */
    private volatile double sink;

    /**
     * Busy-spins for the {@code burnMillis} setting on the host's clock.
     *
     * @throws IllegalArgumentException when {@code burnMillis} is negative or above 1,000
     */
    @TimerTrigger(fixedRate = "PT0.01S")
    public void burn(FunctionContext context) {
        long burnMillis = context.settings().integer("burnMillis", 0);
        if (burnMillis < 0 || burnMillis > MAX_BURN_MILLIS) {
            throw new IllegalArgumentException("setting burnMillis of function cpu-burner must be 0.."
                    + MAX_BURN_MILLIS + ", was " + burnMillis);
        }
        if (burnMillis > 0) {
            sink = spin(context.clock(), burnMillis);
        }
    }

    /** Computes on the calling thread until {@code clock} has advanced {@code millis}; returns a result to keep. */
    static double spin(InstantSource clock, long millis) {
        Instant until = clock.instant().plusMillis(millis);
        double x = 1.0;
        do {
            for (int i = 0; i < 1_000; i++) {
                x = x * 1.000_000_1 + 1e-9;
            }
        } while (clock.instant().isBefore(until));
        return x;
    }
}
