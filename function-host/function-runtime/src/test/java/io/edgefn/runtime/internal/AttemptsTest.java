package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.bindings.BindingException;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.runtime.RetryPolicy;
import io.edgefn.testing.ManualClock;
import io.edgefn.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retries on the host's scheduler, driven by a manual clock: no sleeps, exact times. */
class AttemptsTest {

    private static final BoundMethod METHOD = new BoundMethod("onReading", null, null, null, "in");

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final Graphs graphs = new Graphs(Set.of("f"),
            "loop", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/f/inputs/in\")",
            "out", "FROM /messages/modules/f/outputs/* INTO $upstream");
    private final Ingress ingress = new Ingress(clock, new HostListener() { });
    private final FunctionCounters counters = new FunctionCounters();
    private final AtomicBoolean abandoned = new AtomicBoolean();
    /** What each attempt does, in order: null succeeds with one output, an exception fails. */
    private final Deque<Throwable> script = new ArrayDeque<>();
    private final AtomicInteger attempts = new AtomicInteger();

    AttemptsTest() {
        ingress.swap(graphs.graph);
    }

    private Attempts attempts(RetryPolicy policy) {
        Attempts.Runner runner = (bean, method, message) -> {
            attempts.incrementAndGet();
            Throwable failure = script.isEmpty() ? null : script.poll();
            List<Message> outputs = failure != null ? List.of()
                    : List.of(Message.builder().body("done").systemProperty(SystemProperties.OUTPUT_NAME, "results").build());
            return new Invoker.Attempt("f#" + attempts.get(), failure, outputs, null);
        };
        FunctionOutputs outputs = new FunctionOutputs("f", MessageOrigin.function("gw", "f"), ingress, Duration.ofSeconds(5), counters);
        return new Attempts("f", runner, outputs, policy, scheduler, Runnable::run, Object::new, abandoned::get);
    }

    private static Message reading() {
        return Message.builder().body("reading").systemProperty(SystemProperties.MESSAGE_ID, "orig-1").build();
    }

    @Test
    void aFailure_isRetriedAfter100ThenAfter200Milliseconds_onTheScheduler() {
        script.add(new IllegalStateException("sensor bus busy"));
        script.add(new IllegalStateException("sensor bus busy"));

        CompletableFuture<CompletableFuture<Boolean>> handled = attempts(RetryPolicy.exponential(3)).process(METHOD, reading());

        assertThat(attempts).hasValue(1);
        assertThat(handled).isNotDone();
        clock.advance(Duration.ofMillis(99));
        assertThat(attempts).hasValue(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(attempts).hasValue(2);
        clock.advance(Duration.ofMillis(199));
        assertThat(attempts).hasValue(2);
        clock.advance(Duration.ofMillis(1));
        assertThat(attempts).hasValue(3);
        assertThat(handled.join().join()).isTrue();
        assertThat(graphs.sink("$upstream").messages()).extracting(Message::bodyAsString).containsExactly("done");
    }

    @Test
    void afterTheLastRetry_theMessageGoesToTheDeadLetterOutput_withANewIdAndTheError() {
        script.add(new IllegalStateException("boom 1"));
        script.add(new IllegalStateException("boom 2"));

        CompletableFuture<CompletableFuture<Boolean>> handled = attempts(RetryPolicy.exponential(1)).process(METHOD, reading());
        clock.advance(Duration.ofMillis(100));

        assertThat(handled.join().join()).isTrue();
        Message letter = graphs.sink("$upstream").messages().getFirst();
        assertThat(letter.source()).isEqualTo("/messages/modules/f/outputs/deadletter");
        assertThat(letter.property("edgefn-error")).contains("boom 2");
        assertThat(letter.property("edgefn-original-message-id")).isEqualTo("orig-1");
        assertThat(letter.systemProperty(SystemProperties.MESSAGE_ID)).isNotEqualTo("orig-1");
        assertThat(graphs.sink("/modules/f/inputs/in").deliveries()).as("never back into f").isEmpty();
        assertThat(counters.deadLettered.sum()).isEqualTo(1);
    }

    @Test
    void aBindingFailure_isNotRetried() {
        script.add(new BindingException("the body is not a Reading"));

        CompletableFuture<CompletableFuture<Boolean>> handled = attempts(RetryPolicy.exponential(5)).process(METHOD, reading());

        assertThat(handled.join().join()).isTrue();
        assertThat(attempts).hasValue(1);
        assertThat(scheduler.pending()).isZero();
        assertThat(counters.deadLettered.sum()).isEqualTo(1);
    }

    @Test
    void aTimerTickThatFails_hasNoDeadLetter() {
        script.add(new IllegalStateException("tick failed"));

        CompletableFuture<CompletableFuture<Boolean>> handled = attempts(RetryPolicy.NONE).process(METHOD, null);

        assertThat(handled.join().join()).isTrue();
        assertThat(graphs.sink("$upstream").deliveries()).isEmpty();
        assertThat(counters.deadLettered.sum()).isZero();
    }

    @Test
    void aRetryDueAfterTheHostGaveUpOnTheFunction_endsUnprocessed() {
        script.add(new IllegalStateException("boom"));

        CompletableFuture<CompletableFuture<Boolean>> handled = attempts(RetryPolicy.exponential(3)).process(METHOD, reading());
        abandoned.set(true);
        clock.advance(Duration.ofMillis(100));

        assertThat(handled.join().join()).as("a durable input keeps it for the next start").isFalse();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aRetryTheStoppedSchedulerRefuses_endsUnprocessed() {
        script.add(new IllegalStateException("boom"));
        scheduler.shutdownNow();

        CompletableFuture<CompletableFuture<Boolean>> handled = attempts(RetryPolicy.exponential(3)).process(METHOD, reading());

        assertThat(handled.join().join()).isFalse();
    }
}
