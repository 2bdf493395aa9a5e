package io.edgefn.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A process for {@link LauncherFlagsIT}: a worker thread allocates until the heap is full while
 * {@code main} waits for something that never happens, as the host's main thread does.
 */
public final class OutOfMemoryProbe {

    private OutOfMemoryProbe() {
    }

    /** Runs the probe; never returns normally. */
    public static void main(String[] args) throws InterruptedException {
        Thread.ofPlatform().name("leaker").start(() -> {
            System.out.println("allocating");
            System.out.flush();
            List<long[]> kept = new ArrayList<>();
            while (true) {
                kept.add(new long[1 << 16]);
            }
        });
        new CountDownLatch(1).await();
    }
}
