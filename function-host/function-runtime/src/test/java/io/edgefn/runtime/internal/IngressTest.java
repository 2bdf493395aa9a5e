package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.runtime.Admission;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.testing.ManualClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IngressTest {

    private final ManualClock clock = new ManualClock();
    private final Graphs graphs = new Graphs(Set.of("analytics"),
            "all", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/analytics/inputs/in\")",
            "up", "FROM /messages/modules/* INTO $upstream");
    private final Ingress ingress = new Ingress(clock, new HostListener() { });

    IngressTest() {
        ingress.swap(graphs.graph);
    }

    private Message delivered(String address) {
        return graphs.sink(address).messages().getLast();
    }

    @Test
    void submit_keepsTheProducersMessageId() {
        ingress.submit(Message.builder().body("x").systemProperty(SystemProperties.MESSAGE_ID, "resent-42").build(),
                MessageOrigin.serialDevice("pump-01")).join();

        assertThat(delivered("/modules/analytics/inputs/in").systemProperty(SystemProperties.MESSAGE_ID)).isEqualTo("resent-42");
    }

    @Test
    void submit_stampsAUuidV7WhenTheMessageHasNoId() {
        ingress.submit(Message.ofText("x"), MessageOrigin.serialDevice("pump-01")).join();

        UUID id = UUID.fromString(delivered("/modules/analytics/inputs/in").systemProperty(SystemProperties.MESSAGE_ID));
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
    }

    @Test
    void submit_stampsEnqueuedTimeFromTheHostsClock() {
        clock.advance(Duration.ofSeconds(90));
        ingress.submit(Message.builder().body("x").systemProperty(SystemProperties.ENQUEUED_TIME, "1999-01-01T00:00:00Z").build(),
                MessageOrigin.serialDevice("pump-01")).join();

        assertThat(delivered("/modules/analytics/inputs/in").systemProperty(SystemProperties.ENQUEUED_TIME))
                .isEqualTo(clock.instant().toString());
    }

    @Test
    void submit_overwritesConnectionFieldsAClientSent() {
        Message spoofed = Message.builder().body("x")
                .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "the-ceo")
                .systemProperty(SystemProperties.CONNECTION_MODULE_ID, "shutdown")
                .systemProperty(SystemProperties.CONNECTION_AUTH_METHOD, "{\"scope\":\"hub\"}")
                .build();
        ingress.submit(spoofed, MessageOrigin.serialDevice("pump-01")).join();

        Message m = delivered("/modules/analytics/inputs/in");
        assertThat(m.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("pump-01");
        assertThat(m.systemProperty(SystemProperties.CONNECTION_MODULE_ID)).isNull();
        assertThat(m.systemProperty(SystemProperties.CONNECTION_AUTH_METHOD)).contains("\"type\":\"serial\"");
        assertThat(m.source()).isEqualTo("/messages"); // a device's telemetry, not a module's output
    }

    @Test
    void submit_fromAFunction_isThatFunctionsOutputOnThisGateway() {
        Message output = Message.builder().body("x").systemProperty(SystemProperties.OUTPUT_NAME, "alerts").build();
        ingress.submit(output, MessageOrigin.function("gw-7", "detector")).join();

        Message m = delivered("$upstream");
        assertThat(m.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("gw-7");
        assertThat(m.source()).isEqualTo("/messages/modules/detector/outputs/alerts");
    }

    @Test
    void messageIds_fromTwoRunsWithAClockThatStandsStill_neverCollide() {
        Set<String> ids = new HashSet<>();
        for (int run = 0; run < 2; run++) {
            MessageIds ofThisRun = new MessageIds(clock); // a restart: new ids object, same (frozen) clock
            for (int i = 0; i < 50_000; i++) {
                assertThat(ids.add(ofThisRun.next())).isTrue();
            }
        }
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void offer_onACongestedSink_asksToSlowDownAndSaysWhenToResume() {
        RecordingSink analytics = graphs.sink("/modules/analytics/inputs/in");
        analytics.congested(true);

        Admission admission = ingress.offer(Message.ofText("x"), MessageOrigin.serialDevice("pump-01"));

        assertThat(admission.taken()).isCompleted();
        assertThat(admission.slowDown()).isTrue();
        assertThat(analytics.deliveries().getLast().patience()).isEqualTo(Patience.NONE);
        AtomicInteger resumed = new AtomicInteger();
        admission.whenRelieved(resumed::incrementAndGet);
        assertThat(resumed).hasValue(0);
        analytics.congested(false);
        assertThat(resumed).hasValue(1);
    }

    @Test
    void offer_withRoomEverywhere_doesNotAskToSlowDown() {
        Admission admission = ingress.offer(Message.ofText("x"), MessageOrigin.serialDevice("pump-01"));

        assertThat(admission.slowDown()).isFalse();
        AtomicInteger resumed = new AtomicInteger();
        admission.whenRelieved(resumed::incrementAndGet);
        assertThat(resumed).hasValue(1);
    }

    @Test
    void submit_failsWhenOneSinkRefuses_evenIfAnotherTookIt() {
        graphs.sink("$upstream").refusing();

        assertThat(ingress.submit(Message.builder().body("x").systemProperty(SystemProperties.OUTPUT_NAME, "o").build(),
                MessageOrigin.function("gw", "f"))).isCompletedExceptionally();
        assertThat(graphs.graph.undeliverable()).isEqualTo(1);
    }

    @Test
    void submitFromDevice_walksWithTheSafetyPathsPatience() {
        ingress.submitFromDevice(Message.ofText("x"), MessageOrigin.serialDevice("pump-01")).join();

        assertThat(graphs.sink("/modules/analytics/inputs/in").deliveries().getLast().patience()).isEqualTo(Patience.SAFETY_PATH);
    }

    @Test
    void everyForm_refusesBeforeAGraphIsBoundAndAfterClose() {
        Ingress unbound = new Ingress(clock, new HostListener() { });
        assertThat(unbound.submit(Message.ofText("x"), MessageOrigin.localDevice("gw"))).isCompletedExceptionally();
        assertThat(unbound.offer(Message.ofText("x"), MessageOrigin.localDevice("gw")).taken()).isCompletedExceptionally();

        ingress.close();
        assertThat(ingress.submitFromDevice(Message.ofText("x"), MessageOrigin.serialDevice("p"))).isCompletedExceptionally();
    }

    @Test
    void swap_makesEveryLaterMessageWalkTheNewGraph() {
        Graphs next = new Graphs(Set.of(), "only-up", "FROM /messages/* INTO $upstream");

        RouteGraph previous = ingress.swap(next.graph);
        ingress.submit(Message.ofText("after"), MessageOrigin.serialDevice("pump-01")).join();

        assertThat(previous).isSameAs(graphs.graph);
        assertThat(next.sink("$upstream").messages()).extracting(Message::bodyAsString).containsExactly("after");
        assertThat(graphs.sink("/modules/analytics/inputs/in").deliveries()).isEmpty();
    }
}
