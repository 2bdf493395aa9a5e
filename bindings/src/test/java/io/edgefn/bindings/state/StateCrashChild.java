package io.edgefn.bindings.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.State;
import java.nio.file.Path;

/**
 * The process {@link StateCrashIT} kills: opens the store {@code counts} in {@code args[0]} and
 * puts ever larger numbers, {@code i} under key {@code k<i % 5>}, printing {@code A <i>} after each
 * put has returned, until it is killed.
 */
public final class StateCrashChild {

    private StateCrashChild() {
    }

    /** Runs until killed. */
    public static void main(String[] args) {
        StateStores stores = StateStores.durable("crash", Path.of(args[0]), new ObjectMapper(), StateLimits.DEFAULTS);
        State<Long> state = stores.open("counts", Long.class);
        long next = 1 + state.keys().stream().mapToLong(k -> state.get(k).orElse(0L)).max().orElse(0);
        for (long i = next; ; i++) {
            state.put("k" + (i % 5), i);
            System.out.println("A " + i);
            System.out.flush();
        }
    }
}
