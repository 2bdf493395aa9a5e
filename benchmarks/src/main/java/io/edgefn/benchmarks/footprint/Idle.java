package io.edgefn.benchmarks.footprint;

import java.util.concurrent.CountDownLatch;

/**
 * The floor of {@code edgefn bench footprint}: a JVM that runs nothing. It prints {@code ready}
 * and waits until it is ended, so its resident memory is the JVM's own with the given flags.
 *
 * <p>Single-threaded; its main thread only waits.
 */
public final class Idle {
    private Idle() {
    }

    /** Prints {@code ready} and waits forever (until the process is ended). */
    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
