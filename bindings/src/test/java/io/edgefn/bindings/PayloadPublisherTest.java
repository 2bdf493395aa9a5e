package io.edgefn.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class PayloadPublisherTest {

    private record Sent(String topic, String payload, int qos, boolean retain) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final PayloadPublisher publisher = new PayloadPublisher(new BodyCodec(), (topic, payload, qos, retain) -> {
        sent.add(new Sent(topic, new String(payload, StandardCharsets.UTF_8), qos, retain));
        return CompletableFuture.completedFuture(null);
    });

    private record Reading(String sensor, double value) {
    }

    /** A value Jackson cannot write: its one property throws. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    @Test
    void publish_eachPayloadKind_isWrittenAsTheOutputsAre() {
        publisher.publish("a", "text");
        publisher.publish("b", new byte[] {'h', 'i'}, 0);
        publisher.publish("c", new Reading("t1", 2.5), 1, true);
        publisher.publish("d", Message.builder().body("body").property("p", "v").build());
        publisher.publish("e", Map.of("k", 1));

        assertThat(sent).containsExactly(new Sent("a", "text", 1, false), new Sent("b", "hi", 0, false),
                new Sent("c", "{\"sensor\":\"t1\",\"value\":2.5}", 1, true), new Sent("d", "body", 1, false),
                new Sent("e", "{\"k\":1}", 1, false));
    }

    @Test
    void publish_nullOrUnwritablePayload_failsTheStageWithoutThrowing() {
        var nullPayload = publisher.publish("a", null).toCompletableFuture();
        var unwritable = publisher.publish("a", new Unwritable()).toCompletableFuture();

        assertThat(nullPayload).failsWithin(java.time.Duration.ZERO).withThrowableThat()
                .withMessageContaining("cannot publish a null payload to a");
        assertThat(unwritable).failsWithin(java.time.Duration.ZERO).withThrowableThat()
                .withMessageContaining("cannot write a " + Unwritable.class.getName() + " as JSON to publish to a");
        assertThat(sent).isEmpty();
    }
}
