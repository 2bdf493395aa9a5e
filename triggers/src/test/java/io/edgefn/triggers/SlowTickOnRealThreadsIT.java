package io.edgefn.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A timer on real threads and the system clock whose first tick blocks: the ticks that come
 * meanwhile are skipped and counted, and ticking resumes once it returns.
 */
class SlowTickOnRealThreadsIT {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService ticks = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopExecutors() {
        scheduler.shutdownNow();
        ticks.shutdownNow();
    }

    @Test
    void blockedTick_laterTicksAreSkippedThenTickingResumes() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        try (TimerScheduler timers = new TimerScheduler(scheduler, ticks, InstantSource.system(), (n, e) -> { })) {
            TimerScheduler.Timer timer = timers.start("slow", Schedule.parse("PT0.01S", null), () -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    if (runs.incrementAndGet() == 1) {
                        firstStarted.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    concurrent.decrementAndGet();
                }
            });

            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> timer.skipped() >= 5);
            assertThat(runs.get()).isEqualTo(1);

            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
            timer.cancel();
        }
        assertThat(maxConcurrent.get()).isEqualTo(1);
    }
}
