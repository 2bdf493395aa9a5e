package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link OutOfMemoryError} — thrown by a function, or by the host's own tick path when no
 * thread can be had — is reported and counted; no timer stops, and no function keeps showing
 * RUNNING while it can no longer run.
 */
class OutOfMemoryIsolationIT {

    @TempDir
    Path dir;

    private Deployment deployment(Map<String, String> sources) {
        Path jar = TestPackages.build(dir, "oom", sources);
        String json = """
                {"packages": {"t": {"file": "%s"}}, "routes": {}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "oom deployment", dir);
    }

    private static final String TICKER = """
            package t;
            import io.edgefn.api.*;
            @EdgeFunction("ticker")
            public class Ticker {
                @TimerTrigger(fixedRate = "PT0.05S")
                public void tick() { }
            }""";

    @Test
    void aFunctionThrowingOutOfMemoryError_doesNotStopTheTimers() {
        Deployment deployment = deployment(Map.of("t.Ticker", TICKER, "t.Leaker", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction(value = "leaker", retries = 0)
                public class Leaker {
                    @TimerTrigger(fixedRate = "PT0.05S")
                    public void tick() { throw new OutOfMemoryError("test"); }
                }"""));
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).build().start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> stats(host, "leaker").failures() >= 3);
            long leaks = stats(host, "leaker").failures();
            long ticks = stats(host, "ticker").invocations();

            await().atMost(Duration.ofSeconds(20)).until(() -> stats(host, "leaker").failures() >= leaks + 3
                    && stats(host, "ticker").invocations() >= ticks + 3);
            assertThat(stats(host, "leaker").lastProblem()).contains("OutOfMemoryError").contains("test");
            assertThat(stats(host, "leaker").state()).isEqualTo(FunctionState.RUNNING);
        }
    }

    @Test
    void noThreadForATick_failsThatTick_andTheTimerGoesOn() {
        FailingOnce workers = new FailingOnce(Executors.newCachedThreadPool());
        HostExecutors executors = HostExecutors.of(Executors.newScheduledThreadPool(2), workers, Executors.newCachedThreadPool());
        Deployment deployment = deployment(Map.of("t.Ticker", TICKER));
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data"))
                .executors(executors).build().start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> stats(host, "ticker").invocations() >= 3);

            workers.failNext.set(true);
            await().atMost(Duration.ofSeconds(20)).until(() -> !workers.failNext.get());
            long ticks = stats(host, "ticker").invocations();

            // Had the error escaped, the timer would be dead, or its permit leaked and every tick skipped.
            await().atMost(Duration.ofSeconds(20)).until(() -> stats(host, "ticker").invocations() >= ticks + 5);
            assertThat(stats(host, "ticker").state()).isEqualTo(FunctionState.RUNNING);
        }
    }

    private static FunctionStats stats(EdgeHost host, String function) {
        return host.stats().functions().get(function);
    }

    /** Runs tasks on a delegate, but throws the JVM's "no thread" error for one task when armed. */
    private static final class FailingOnce extends AbstractExecutorService {
        final AtomicBoolean failNext = new AtomicBoolean();
        private final ExecutorService delegate;

        FailingOnce(ExecutorService delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable command) {
            if (failNext.compareAndSet(true, false)) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
            }
            delegate.execute(command);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }
}
