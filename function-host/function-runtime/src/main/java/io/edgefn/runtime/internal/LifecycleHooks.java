package io.edgefn.runtime.internal;

import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a function's {@code @OnStart} and {@code @OnStop} methods, isolated like every call into
 * user code.
 *
 * <p>{@code @OnStart} is part of the start: {@link #started} wraps the instance factory, so the
 * hook runs in the same start attempt as the constructor — on the function's thread, under the
 * {@link FunctionSupervisor}'s start timeout — and a hook that throws fails the attempt, which
 * the supervisor retries with a new instance per the restart policy.
 *
 * <p>{@code @OnStop} runs from {@link FunctionRuntime#stop} after the drain, on the function's
 * executor, within the function's {@code timeoutMillis} as timed by the host's scheduler; past it
 * the hook's thread is interrupted and the stop goes on. A throw or a timeout is logged and
 * counted as a failure (with {@code lastProblem}); the stop goes on either way.
 *
 * <p>Thread-safe; each hook is called with no lock held.
 */
final class LifecycleHooks {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleHooks.class);

    private final FunctionSpec spec;
    private final FunctionRuntime.Hooks hooks;
    private final ScheduledExecutorService scheduler;
    private final InstantSource clock;
    private final FunctionCounters counters;
    private final AtomicLong calls = new AtomicLong();

    LifecycleHooks(FunctionSpec spec, FunctionRuntime.Hooks hooks, ScheduledExecutorService scheduler,
                   InstantSource clock, FunctionCounters counters) {
        this.spec = spec;
        this.hooks = hooks;
        this.scheduler = scheduler;
        this.clock = clock;
        this.counters = counters;
    }

    /** {@code beanFactory}, followed by the {@code @OnStart} method on what it created; throws what either throws. */
    Supplier<Object> started(Supplier<Object> beanFactory) {
        BoundMethod onStart = hooks.onStart();
        if (onStart == null) {
            return beanFactory;
        }
        return () -> {
            Object bean = beanFactory.get();
            try {
                call(onStart, bean);
            } catch (Throwable t) {
                Throwable cause = Failures.rootCause(t);
                throw new IllegalStateException("@OnStart method " + onStart.name() + " threw " + Failures.describe(cause), cause);
            }
            return bean;
        };
    }

    /**
     * Runs the {@code @OnStop} method on {@code bean} on {@code executor} and waits for it, at most
     * the function's timeout; never throws. Called by the thread stopping the function.
     */
    void stopped(Object bean, Executor executor) {
        BoundMethod onStop = hooks.onStop();
        if (onStop == null || bean == null) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicReference<Thread> runner = new AtomicReference<>();
        ScheduledFuture<?> limit;
        try {
            limit = scheduler.schedule(() -> {
                if (done.completeExceptionally(new TimeoutException("it did not return within " + spec.timeoutMillis()
                        + " ms; its thread is interrupted"))) {
                    Thread t = runner.get();
                    if (t != null) {
                        t.interrupt();
                    }
                }
            }, spec.timeoutMillis(), TimeUnit.MILLISECONDS);
            executor.execute(() -> {
                runner.set(Thread.currentThread());
                try {
                    if (!done.isDone()) {
                        call(onStop, bean);
                    }
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(Failures.rootCause(t));
                } finally {
                    runner.set(null);
                    Thread.interrupted(); // the pool's thread goes on without our interrupt
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("function {}: @OnStop method {} not run: the host is stopping its threads", spec.name(), onStop.name());
            return;
        }
        try {
            done.get();
        } catch (ExecutionException e) {
            String problem = "@OnStop method " + onStop.name() + " failed: " + Failures.describe(e.getCause());
            counters.failures.increment();
            counters.problem(problem);
            LOG.warn("function {}: {}; stopping anyway", spec.name(), problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            limit.cancel(false);
        }
    }

    /** Binds the hook's parameters (nothing, or its FunctionContext) and calls it on {@code bean}. */
    private void call(BoundMethod hook, Object bean) throws Exception {
        Invocation invocation = new Invocation(spec.name(), spec.name() + "#" + hook.name() + "-" + calls.incrementAndGet(),
                null, clock, spec.twin());
        Object[] args = new Object[hook.binders().length];
        for (int i = 0; i < args.length; i++) {
            args[i] = hook.binders()[i].bind(invocation);
        }
        hook.method().invoke(bean, args);
    }
}
