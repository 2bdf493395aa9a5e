package io.edgefn.runtime.internal;

/** Thread helpers the host's assembly uses from outside this package. */
public final class HostThreads {

    private HostThreads() {
    }

    /**
     * Wraps {@code task} so that the platform thread running it first raises its CPU priority
     * (see {@link CpuPriority}); for threads on the safety path.
     */
    public static Runnable raised(Runnable task) {
        return CpuPriority.raised(task);
    }
}
