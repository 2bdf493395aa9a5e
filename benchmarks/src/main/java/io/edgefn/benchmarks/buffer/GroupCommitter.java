package io.edgefn.benchmarks.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit in front of an embedded store, as its experts would put it: producers hand records
 * to one committer thread, which takes every record waiting (up to {@code maxGroup}), writes them
 * in one transaction or batch that ends with a sync, and only then completes their futures. While
 * it syncs, the next group gathers. Thread-safe: any thread may {@link #append}; the store is used
 * by the committer thread only; futures complete on it.
 */
final class GroupCommitter implements Sink {

    /** A store written one group at a time; used by one thread. */
    interface GroupStore extends AutoCloseable {
        /** Writes the group and makes it durable (a durable store); returns when it may be acknowledged. */
        void write(List<byte[]> group) throws Exception;

        /** Whether {@link #write} ends with an fsync. */
        boolean syncs();
    }

    private record Request(byte[] record, CompletableFuture<Void> done) {
    }

    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final GroupStore store;
    private final int maxGroup;
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    GroupCommitter(GroupStore store, int maxGroup) {
        this.store = store;
        this.maxGroup = maxGroup;
        this.thread = Thread.ofPlatform().name("group-committer").start(this::loop);
    }

    private void loop() {
        List<Request> group = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Request first = queue.poll(20, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
            } catch (InterruptedException e) {
                return;
            }
            for (Request r : group) {
                records.add(r.record());
            }
            try {
                store.write(records);
                groups.incrementAndGet();
                largest.accumulateAndGet(group.size(), Math::max);
                for (Request r : group) {
                    r.done().complete(null);
                }
            } catch (Exception e) {
                for (Request r : group) {
                    r.done().completeExceptionally(e);
                }
            }
            group.clear();
            records.clear();
        }
    }

    @Override
    public CompletableFuture<?> append(byte[] record) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        queue.add(new Request(record, f));
        return f;
    }

    @Override
    public long syncs() {
        return store.syncs() ? groups.get() : 0;
    }

    @Override
    public long takeMaxGroup() {
        return largest.getAndSet(0);
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join();
        store.close();
    }
}
