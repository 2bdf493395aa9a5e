package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.CollectingOutput;
import io.edgefn.runtime.HostListener;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of a function method, isolated from the host: binds the arguments, calls the
 * user's method through its generated invoker under a watchdog, and catches every
 * {@link Throwable}. An attempt longer than the function's timeout is interrupted and counts as
 * failed, its outputs discarded. What the method sent (its return value and its {@code Output}
 * parameters) is collected, not yet routed: that is {@link FunctionOutputs}' job, and only for an
 * attempt that succeeded.
 *
 * <p>Java cannot stop a thread that ignores its interrupt. An attempt still running
 * {@link #STUCK_GRACE_MILLIS} after the interrupt is declared <em>stuck</em>: counted as a
 * timeout and a failure there and then (it may never return to be counted), logged with where it
 * is running, and counted in {@link FunctionCounters#stuck} until it returns — which degrades
 * {@code /health}. Its thread is left to it: an ordinary function's invocations run on platform
 * threads (see {@link io.edgefn.runtime.HostExecutors}), so a stuck one holds one thread and its
 * function's permit, not a carrier every other function needs.
 *
 * <p>Thread-safe: runs on whichever thread invokes (a dispatcher, a worker); the watchdog runs on
 * the host's scheduler and only interrupts and counts.
 */
final class Invoker {

    private static final Logger LOG = LoggerFactory.getLogger(Invoker.class);
    private static final int RUNNING_CALL = 0;
    private static final int DONE_CALL = 1;
    private static final int TIMED_OUT_CALL = 2;
    private static final int STUCK_CALL = 3;

    /** How long after its timeout's interrupt an attempt that still runs is declared stuck. */
    static final long STUCK_GRACE_MILLIS = 1_000;

    /**
     * One attempt's result: the failure ({@code null} when it succeeded), what it sent, and the
     * method's return value ({@code null} when it failed; a direct method's answer).
     */
    record Attempt(String invocationId, Throwable failure, List<Message> outputs, Object result) {
        boolean succeeded() {
            return failure == null;
        }
    }

    private final FunctionSpec spec;
    private final ScheduledExecutorService scheduler;
    private final InstantSource clock;
    private final BodyCodec codec;
    private final HostListener listener;
    private final FunctionCounters counters;
    private final AtomicLong invocationCounter = new AtomicLong();

    Invoker(FunctionSpec spec, ScheduledExecutorService scheduler, InstantSource clock, BodyCodec codec,
            HostListener listener, FunctionCounters counters) {
        this.spec = spec;
        this.scheduler = scheduler;
        this.clock = clock;
        this.codec = codec;
        this.listener = listener;
        this.counters = counters;
    }

    /** Runs {@code method} of {@code bean} once for {@code message} ({@code null} for a timer tick). */
    Attempt invoke(Object bean, BoundMethod method, Message message) {
        return invoke(bean, method, message, spec.timeoutMillis());
    }

    /**
     * As {@link #invoke(Object, BoundMethod, Message)}, interrupted after {@code timeoutMillis}
     * (a direct method call whose caller waits less than the function's timeout).
     */
    Attempt invoke(Object bean, BoundMethod method, Message message, long timeoutMillis) {
        return invoke(bean, method, message, timeoutMillis, null);
    }

    /** As {@link #invoke(Object, BoundMethod, Message, long)}, for an HTTP {@code request} (may be null). */
    Attempt invoke(Object bean, BoundMethod method, Message message, long timeoutMillis,
                   io.edgefn.api.HttpRequestData request) {
        Invocation invocation = new Invocation(spec.name(), spec.name() + "#" + invocationCounter.incrementAndGet(),
                message, clock, spec.twin());
        invocation.httpRequest(request);
        Thread thread = Thread.currentThread();
        if (spec.safetyCritical()) {
            CpuPriority.raiseCurrentThread();
        } else {
            CpuPriority.lowerCurrentThread();
        }
        AtomicInteger call = new AtomicInteger(RUNNING_CALL);
        long started = System.nanoTime();
        counters.invocations.increment();
        ScheduledFuture<?> watchdog;
        try {
            watchdog = scheduler.schedule(() -> {
                        if (timedOut(call, thread, invocation.invocationId(), timeoutMillis)) {
                            method.method().timedOut(bean, thread, "it ran longer than its " + timeoutMillis + " ms timeout");
                        }
                    }, timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The host is shutting down: nothing new starts.
            return new Attempt(invocation.invocationId(), new IllegalStateException("the host is stopping"), List.of(), null);
        }
        Throwable failure = null;
        List<Message> outputs = List.of();
        Object result = null;
        long arrival = ControlLoop.arrivalOf(message);
        ControlLoop.enter(arrival, spec.safetyCritical());
        try {
            Object[] args = new Object[method.binders().length];
            for (int i = 0; i < args.length; i++) {
                args[i] = method.binders()[i].bind(invocation);
            }
            result = method.method().invoke(bean, args);
            outputs = collectOutputs(method, invocation, result);
            if (arrival != 0 && !outputs.isEmpty()) {
                outputs = carryArrival(outputs, message.systemProperty(ControlLoop.ARRIVAL_PROPERTY));
            }
        } catch (Throwable t) {
            failure = Failures.rootCause(t);
        } finally {
            ControlLoop.clear();
            watchdog.cancel(false);
        }
        int ended = call.getAndSet(DONE_CALL);
        // Whatever the function did with its interrupt flag (or a watchdog that fired late), this
        // thread goes on working: it must not carry an interrupt into the next wait.
        Thread.interrupted();
        long nanos = System.nanoTime() - started;
        counters.recordDuration(nanos);
        if (ended != RUNNING_CALL) {
            failure = new TimeoutException("invocation " + invocation.invocationId() + " ran longer than "
                    + timeoutMillis + " ms; its outputs were discarded");
        }
        if (ended == STUCK_CALL) {
            // Counted as a timeout and a failure when it was declared stuck.
            counters.stuck.decrementAndGet();
            LOG.warn("function {} invocation {} returned after being stuck, {} ms after it started", spec.name(),
                    invocation.invocationId(), nanos / 1_000_000);
        } else if (failure != null) {
            if (ended == TIMED_OUT_CALL) {
                counters.timeouts.increment();
            }
            counters.failures.increment();
            String problem = Failures.describe(failure);
            counters.problem(problem);
            LOG.warn("function {} invocation {} failed: {}", spec.name(), invocation.invocationId(), problem);
        }
        if (failure != null) {
            outputs = List.of();
            result = null;
        }
        Throwable reported = failure;
        Listeners.safely(() -> listener.invocationFinished(spec.name(), invocation.invocationId(), nanos, reported));
        return new Attempt(invocation.invocationId(), failure, outputs, result);
    }

    /** The watchdog, on the scheduler: the attempt ran past its timeout; whether it was still running. */
    private boolean timedOut(AtomicInteger call, Thread thread, String invocationId, long timeoutMillis) {
        if (!call.compareAndSet(RUNNING_CALL, TIMED_OUT_CALL)) {
            return false;
        }
        thread.interrupt();
        try {
            scheduler.schedule(() -> graceOver(call, thread, invocationId, timeoutMillis), STUCK_GRACE_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The host is stopping: it abandons what still runs anyway.
        }
        return true;
    }

    /** On the scheduler, a grace after the interrupt: an attempt that still runs ignores it. */
    private void graceOver(AtomicInteger call, Thread thread, String invocationId, long timeoutMillis) {
        if (!call.compareAndSet(TIMED_OUT_CALL, STUCK_CALL)) {
            return;
        }
        counters.timeouts.increment();
        counters.failures.increment();
        counters.stuck.incrementAndGet();
        String problem = "invocation " + invocationId + " is stuck: it ignored its interrupt and still runs "
                + STUCK_GRACE_MILLIS + " ms after its " + timeoutMillis + " ms timeout";
        counters.problem(problem);
        StackTraceElement[] where = thread.getStackTrace();
        LOG.error("function {}: {}, on thread {}; its thread and permit stay with it until it returns{}", spec.name(),
                problem, thread.getName(), where.length == 0 ? "" : "; it is at " + where[0]);
        thread.interrupt(); // once more, for code that cleared the first one and checks again
    }

    /** {@code outputs}, each carrying the arrival of the reading that caused them (see {@link ControlLoop}). */
    private static List<Message> carryArrival(List<Message> outputs, String value) {
        List<Message> carried = new ArrayList<>(outputs.size());
        for (Message m : outputs) {
            carried.add(m.toBuilder().systemProperty(ControlLoop.ARRIVAL_PROPERTY, value).build());
        }
        return carried;
    }

    private List<Message> collectOutputs(BoundMethod method, Invocation invocation, Object result) {
        List<Message> outputs = new ArrayList<>(1 + invocation.outputs().size());
        if (method.returnOutput() != null && result != null && !(result instanceof Optional<?> o && o.isEmpty())) {
            Object value = result instanceof Optional<?> o ? o.get() : result;
            outputs.add(CollectingOutput.stamp(codec.write(value, Map.of()), spec.name(), method.returnOutput()));
        }
        for (CollectingOutput<?> output : invocation.outputs()) {
            outputs.addAll(output.messages());
        }
        return outputs;
    }
}
