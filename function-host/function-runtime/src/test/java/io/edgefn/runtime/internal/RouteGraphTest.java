package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.routes.RouteSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteGraphTest {

    private static Message fromDevice(String body) {
        return Message.builder().body(body).systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "pump-01").build();
    }

    private static Message output(String function, String output, String body) {
        return Message.builder().body(body)
                .systemProperty(SystemProperties.CONNECTION_MODULE_ID, function)
                .systemProperty(SystemProperties.OUTPUT_NAME, output).build();
    }

    @Test
    void walk_deliversOncePerSink_withTheBestPriorityOfTheRoutesThatMatched() {
        Graphs g = new Graphs(Set.of("shutdown"), List.of(
                new RouteSpec("telemetry", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/shutdown/inputs/in\")", 5, 60, false),
                new RouteSpec("urgent", "FROM /messages/* WHERE level = 'critical' INTO BrokeredEndpoint(\"/modules/shutdown/inputs/in\")",
                        0, 0, false)));

        RouteGraph.Walk walk = g.graph.walk(Message.builder().body("x").property("level", "critical").build(), Patience.QUEUE_WAIT);

        assertThat(walk.deliveries()).isEqualTo(1);
        RecordingSink.Delivery d = g.sink("/modules/shutdown/inputs/in").deliveries().getFirst();
        assertThat(d.priority()).isZero();
        assertThat(d.timeToLiveSecs()).isZero();
        assertThat(d.patience()).isEqualTo(Patience.QUEUE_WAIT);
        // Counted per route that delivered: the superseded route matched but did not deliver.
        assertThat(g.graph.countsByRoute()).containsEntry("urgent", 1L).containsEntry("telemetry", 0L);
    }

    @Test
    void walk_countsWhatNoRouteTakes() {
        Graphs g = new Graphs(Set.of(), "up", "FROM /messages/modules/* INTO $upstream");

        RouteGraph.Walk walk = g.graph.walk(fromDevice("x"), Patience.QUEUE_WAIT);

        assertThat(walk.deliveries()).isZero();
        assertThat(walk.taken()).isCompleted();
        assertThat(g.graph.unrouted()).isEqualTo(1);
    }

    @Test
    void walk_aSinkThatThrows_failsTheDeliveryAndCountsIt_andOtherSinksStillGetTheMessage() {
        Graphs g = new Graphs(Set.of(), "a", "FROM /messages/* INTO $upstream",
                "b", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/m/inputs/in\")");
        MessageSink throwing = new MessageSink() {
            @Override
            public String address() {
                return "$upstream";
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> accept(Message m, int priority, long ttl, Patience patience) {
                throw new IllegalStateException("disk on fire");
            }
        };
        RecordingSink module = new RecordingSink("/modules/m/inputs/in");
        RouteGraph graph = RouteGraph.bind(g.graph.table(),
                r -> r.sink().address().equals("$upstream") ? throwing : module, Set.of());

        RouteGraph.Walk walk = graph.walk(fromDevice("x"), Patience.QUEUE_WAIT);

        assertThat(walk.taken()).isCompletedExceptionally();
        assertThat(module.messages()).hasSize(1);
        assertThat(graph.undeliverable()).isEqualTo(1);
    }

    @Test
    void deadLetterView_neverSendsAFunctionsDeadLetterBackIntoIt() {
        Graphs g = new Graphs(Set.of("analytics"),
                "readings", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/analytics/inputs/in\")",
                "up", "FROM /messages/modules/analytics/outputs/deadletter INTO $upstream");
        // A dead letter keeps the original's properties; its source matches /messages/* too.
        Message letter = output("analytics", "deadletter", "poison");

        RouteGraph.Walk walk = g.graph.forDeadLettersOf("analytics").walk(letter, Patience.QUEUE_WAIT);

        assertThat(walk.taken()).isCompleted();
        assertThat(g.sink("/modules/analytics/inputs/in").deliveries()).isEmpty();
        assertThat(g.sink("$upstream").messages()).extracting(Message::bodyAsString).containsExactly("poison");
        assertThat(g.graph.deadLetterLoops()).isEqualTo(1);
        assertThat(g.graph.countsByRoute()).containsEntry("readings", 1L); // the route matched; the guard took it
    }

    @Test
    void deadLetterView_isTheGraphItselfForAFunctionNoRouteFeeds_andOtherFunctionsInputsStayOpen() {
        Graphs g = new Graphs(Set.of("analytics", "detector"),
                "readings", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/analytics/inputs/in\")");

        assertThat(g.graph.forDeadLettersOf("detector")).isSameAs(g.graph); // no route feeds detector: nothing to guard
        g.graph.forDeadLettersOf("detector").walk(output("detector", "deadletter", "x"), Patience.QUEUE_WAIT);
        assertThat(g.sink("/modules/analytics/inputs/in").messages()).hasSize(1);
        assertThat(g.graph.forDeadLettersOf("unknown")).isSameAs(g.graph);
    }

    @Test
    void walk_reportsTheCongestedSinks() {
        Graphs g = new Graphs(Set.of(), "a", "FROM /messages/* INTO $upstream",
                "b", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/m/inputs/in\")");
        g.sink("/modules/m/inputs/in").congested(true);

        RouteGraph.Walk walk = g.graph.walk(fromDevice("x"), Patience.NONE);

        assertThat(walk.congested()).extracting(MessageSink::address).containsExactly("/modules/m/inputs/in");
    }
}
