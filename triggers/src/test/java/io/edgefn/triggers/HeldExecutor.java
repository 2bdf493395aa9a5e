package io.edgefn.triggers;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * An executor that holds tasks until the test runs them, to keep a tick "running". Not
 * thread-safe: the test's thread only.
 */
final class HeldExecutor implements Executor {
    private final Queue<Runnable> held = new ArrayDeque<>();

    @Override
    public void execute(Runnable command) {
        held.add(command);
    }

    /** Runs every held task, in order. */
    void runAll() {
        Runnable r;
        while ((r = held.poll()) != null) {
            r.run();
        }
    }

    int size() {
        return held.size();
    }
}
