package io.edgefn.buffer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AppendQueueTest {
    private static AppendRequest request(int i) {
        return new AppendRequest(new byte[] {(byte) i}, 0, 0, 0, new CompletableFuture<>());
    }

    @Test
    void offer_full_refusesUntilTheConsumerTakes() {
        AppendQueue queue = new AppendQueue(2);
        queue.consumer(Thread.currentThread());

        assertThat(queue.offer(request(1))).isTrue();
        assertThat(queue.offer(request(2))).isTrue();
        assertThat(queue.offer(request(3))).isFalse();
        assertThat(queue.size()).isEqualTo(2);

        List<AppendRequest> taken = new ArrayList<>();
        assertThat(queue.drainTo(taken, 1)).isEqualTo(1);
        assertThat(queue.offer(request(3))).isTrue();
        assertThat(queue.drainTo(taken, 10)).isEqualTo(2);
        assertThat(taken).extracting(r -> (int) r.payload[0]).containsExactly(1, 2, 3);
        assertThat(queue.size()).isZero();
    }

    @Test
    void put_full_waitsForRoomThenQueues() throws Exception {
        AppendQueue queue = new AppendQueue(1);
        queue.consumer(Thread.currentThread());
        queue.put(request(1));
        CountDownLatch putting = new CountDownLatch(1);
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            putting.countDown();
            try {
                queue.put(request(2));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        putting.await();
        assertThat(put).isNotDone();

        List<AppendRequest> taken = new ArrayList<>();
        queue.drainTo(taken, 1);

        put.get(10, TimeUnit.SECONDS);
        queue.drainTo(taken, 1);
        assertThat(taken).extracting(r -> (int) r.payload[0]).containsExactly(1, 2);
    }

    @Test
    void poll_idleConsumer_isWokenByAnOffer() throws Exception {
        AppendQueue queue = new AppendQueue(8);
        CompletableFuture<AppendRequest> polled = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread consumer = Thread.ofPlatform().unstarted(() -> {
            started.countDown();
            try {
                polled.complete(queue.poll(TimeUnit.MINUTES.toNanos(5)));
            } catch (InterruptedException e) {
                polled.completeExceptionally(e);
            }
        });
        queue.consumer(consumer);
        consumer.start();
        started.await();

        AppendRequest r = request(7);
        queue.offer(r);

        // Woken by the offer, not by the five-minute timeout.
        assertThat(polled.get(10, TimeUnit.SECONDS)).isSameAs(r);
        assertThat(queue.size()).isZero();
    }

    @Test
    void poll_nothingArrives_returnsNullAfterTheTimeout() throws Exception {
        AppendQueue queue = new AppendQueue(8);
        queue.consumer(Thread.currentThread());

        assertThat(queue.poll(1_000)).isNull();
        assertThat(queue.awaitMore(1_000)).isFalse();
    }

    @Test
    void awaitMore_somethingWaiting_returnsAtOnce() throws Exception {
        AppendQueue queue = new AppendQueue(8);
        queue.consumer(Thread.currentThread());
        queue.offer(request(1));

        assertThat(queue.awaitMore(TimeUnit.MINUTES.toNanos(5))).isTrue();
    }

    @Test
    void offer_manyProducers_consumerTakesEachOnceInEachProducersOrder() throws Exception {
        int producers = 4;
        int each = 20_000;
        AppendQueue queue = new AppendQueue(1024);
        queue.consumer(Thread.currentThread());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        queue.put(new AppendRequest(new byte[] {(byte) producer}, 0, i, 0, new CompletableFuture<>()));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        go.countDown();
        long[] next = new long[producers];
        List<AppendRequest> taken = new ArrayList<>();
        int total = 0;
        while (total < producers * each) {
            taken.clear();
            if (queue.drainTo(taken, 256) == 0) {
                queue.awaitMore(1_000_000);
            }
            for (AppendRequest r : taken) {
                int producer = r.payload[0];
                // enqueuedAt carries the producer's sequence number: each producer's requests in order, none twice.
                assertThat(r.enqueuedAt).isEqualTo(next[producer]);
                next[producer]++;
                total++;
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(next).containsOnly(each);
        assertThat(queue.size()).isZero();
        assertThat(queue.drainTo(taken, 10)).isZero();
    }
}
