package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The ring of recent problems: order, bound, and writers on many threads. */
class RecentProblemsTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void latest_isNewestFirst_stampedByTheClock() {
        RecentProblems problems = new RecentProblems(clock);
        problems.record("f", RecentProblems.Kind.ERROR, "boom");
        clock.advance(java.time.Duration.ofSeconds(1));
        problems.record("g", RecentProblems.Kind.DEAD_LETTER, "gave up");
        assertThat(problems.latest()).containsExactly(
                new RecentProblems.Problem(clock.instant().toString(), "g", RecentProblems.Kind.DEAD_LETTER, "gave up"),
                new RecentProblems.Problem(clock.instant().minusSeconds(1).toString(), "f", RecentProblems.Kind.ERROR, "boom"));
    }

    @Test
    void latest_keepsTheLastFifty() {
        RecentProblems problems = new RecentProblems(clock);
        for (int i = 0; i < 130; i++) {
            problems.record("f", RecentProblems.Kind.ERROR, "problem " + i);
        }
        List<RecentProblems.Problem> latest = problems.latest();
        assertThat(latest).hasSize(RecentProblems.KEPT);
        assertThat(latest.getFirst().message()).isEqualTo("problem 129");
        assertThat(latest.getLast().message()).isEqualTo("problem 80");
    }

    @Test
    void record_fromManyThreads_keepsFiftyWhole() throws Exception {
        RecentProblems problems = new RecentProblems(clock);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String name = "f" + t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1_000; i++) {
                    problems.record(name, RecentProblems.Kind.ERROR, "problem " + i);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(problems.latest()).hasSize(RecentProblems.KEPT).allSatisfy(p -> assertThat(p.message()).startsWith("problem "));
    }
}
