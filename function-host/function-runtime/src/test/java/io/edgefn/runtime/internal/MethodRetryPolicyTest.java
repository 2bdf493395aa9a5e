package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.api.Retry;
import io.edgefn.api.SystemProperties;
import io.edgefn.index.RetryDescriptor;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.runtime.RetryPolicy;
import io.edgefn.testing.ManualClock;
import io.edgefn.testing.ManualScheduler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A method's own {@code @Retry} on the host's scheduler, driven by a manual clock. */
class MethodRetryPolicyTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final Graphs graphs = new Graphs(Set.of("f"),
            "loop", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/f/inputs/in\")",
            "out", "FROM /messages/modules/f/outputs/* INTO $upstream");
    private final Ingress ingress = new Ingress(clock, new HostListener() { });
    private final FunctionCounters counters = new FunctionCounters();
    private final AtomicInteger attempts = new AtomicInteger();

    MethodRetryPolicyTest() {
        ingress.swap(graphs.graph);
    }

    /** Attempts whose every attempt fails, with the function's default policy (100 ms doubling, 5 retries). */
    private Attempts alwaysFailing() {
        Attempts.Runner runner = (bean, method, message) -> new Invoker.Attempt("f#" + attempts.incrementAndGet(),
                new IllegalStateException("valve stuck"), java.util.List.of(), null);
        FunctionOutputs outputs = new FunctionOutputs("f", MessageOrigin.function("gw", "f"), ingress, Duration.ofSeconds(5), counters);
        return new Attempts("f", runner, outputs, RetryPolicy.exponential(5), scheduler, Runnable::run, Object::new, () -> false);
    }

    private static BoundMethod method(RetryDescriptor retry) {
        return new BoundMethod("onReading", null, null, null, "in", retry == null ? null : RetryPolicy.of(retry));
    }

    private static Message reading() {
        return Message.builder().body("reading").systemProperty(SystemProperties.MESSAGE_ID, "orig-1").build();
    }

    @Test
    void methodPolicy_overridesTheFunctions_waitsGrowByItsBackoffUpToItsMaxDelay() {
        BoundMethod m = method(new RetryDescriptor(4, "PT0.5S", 3, "PT2S"));

        CompletableFuture<CompletableFuture<Boolean>> handled = alwaysFailing().process(m, reading());

        assertThat(attempts).hasValue(1);
        clock.advance(Duration.ofMillis(499));
        assertThat(attempts).as("not the function's 100 ms").hasValue(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(attempts).hasValue(2);
        clock.advance(Duration.ofMillis(1_499));
        assertThat(attempts).as("500 ms × 3").hasValue(2);
        clock.advance(Duration.ofMillis(1));
        assertThat(attempts).hasValue(3);
        clock.advance(Duration.ofMillis(1_999));
        assertThat(attempts).as("4500 ms capped at 2 s").hasValue(3);
        clock.advance(Duration.ofMillis(1));
        assertThat(attempts).hasValue(4);

        assertThat(handled.join().join()).isTrue();
        assertThat(scheduler.pending()).as("maxAttempts 4: no fifth").isZero();
        Message letter = graphs.sink("$upstream").messages().getFirst();
        assertThat(letter.source()).isEqualTo("/messages/modules/f/outputs/deadletter");
        assertThat(letter.property(Retry.ATTEMPTS_PROPERTY)).isEqualTo("4");
        assertThat(letter.property("edgefn-error")).contains("valve stuck");
        assertThat(counters.retries.sum()).isEqualTo(3);
        assertThat(counters.deadLettered.sum()).isEqualTo(1);
    }

    @Test
    void maxAttemptsOne_deadLettersAtOnce_withOneAttempt() {
        CompletableFuture<CompletableFuture<Boolean>> handled = alwaysFailing()
                .process(method(new RetryDescriptor(1, "PT1S", 2, "PT1S")), reading());

        assertThat(handled.join().join()).isTrue();
        assertThat(attempts).hasValue(1);
        assertThat(scheduler.pending()).isZero();
        assertThat(graphs.sink("$upstream").messages().getFirst().property(Retry.ATTEMPTS_PROPERTY)).isEqualTo("1");
        assertThat(counters.retries.sum()).isZero();
    }

    @Test
    void withoutAMethodPolicy_theFunctionsApplies_andTheLetterCountsItsAttempts() {
        CompletableFuture<CompletableFuture<Boolean>> handled = alwaysFailing().process(method(null), reading());
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(100L << i));
        }

        assertThat(handled.join().join()).isTrue();
        assertThat(attempts).hasValue(6);
        assertThat(graphs.sink("$upstream").messages().getFirst().property(Retry.ATTEMPTS_PROPERTY)).isEqualTo("6");
    }

    @Test
    void delayBefore_backoffOne_keepsTheWaitsEqual() {
        RetryPolicy p = RetryPolicy.of(new RetryDescriptor(5, "PT0.25S", 1, "PT1S"));

        assertThat(p.maxRetries()).isEqualTo(4);
        assertThat(p.delayBefore(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(p.delayBefore(4)).isEqualTo(Duration.ofMillis(250));
        assertThat(RetryPolicy.exponential(3).delayBefore(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(RetryPolicy.exponential(3).delayBefore(40)).isEqualTo(Duration.ofMillis(6_400));
    }
}
