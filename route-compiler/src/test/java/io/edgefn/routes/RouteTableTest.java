package io.edgefn.routes;

import io.edgefn.api.Message;
import io.edgefn.routes.internal.Faults;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    private final RouteCompiler compiler = RouteCompiler.create();

    record Delivery(Sink sink, int priority, long ttl, boolean durable, String route) {
    }

    private static List<Delivery> route(RouteTable table, Message m) {
        List<Delivery> out = new ArrayList<>();
        int n = table.route(m, (s, p, t, d, r) -> out.add(new Delivery(s, p, t, d, r)));
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    private static Message fromModule(String module, String output) {
        return Message.builder().systemProperty("connectionModuleId", module).systemProperty("outputName", output)
                .property("temp", "95").build();
    }

    @Test
    void route_severalRoutesToOneSink_collapseToBestPriorityWithItsTtl() {
        RouteTable table = compiler.compileTable(List.of(
                new RouteSpec("low", "FROM /messages/* INTO $upstream", 5, 60, false),
                new RouteSpec("high", "FROM /messages/modules/* WHERE as_number(temp) > 90 INTO $upstream", 1, 7200, true),
                new RouteSpec("other", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/b/inputs/in\")", 3, 0, false),
                RouteSpec.of("default", "FROM /* INTO $upstream")), null);
        assertThat(route(table, fromModule("a", "out"))).containsExactly(
                new Delivery(Sink.Upstream.INSTANCE, 1, 7200, true, "high"),
                new Delivery(new Sink.FunctionInput("b", "in"), 3, 0, false, "other"));
        assertThat(route(table, Message.builder().build())).containsExactly(
                new Delivery(Sink.Upstream.INSTANCE, 5, 60, false, "low"),
                new Delivery(new Sink.FunctionInput("b", "in"), 3, 0, false, "other"));
    }

    @Test
    void route_sourcesByKind_matchAsEdgeHub() {
        RouteTable table = compiler.compileTable(List.of(
                RouteSpec.of("leafOnly", "FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO $upstream"),
                RouteSpec.of("outputs", "FROM /messages/modules/X/outputs/* INTO BrokeredEndpoint(\"/modules/o/inputs/i\")"),
                RouteSpec.of("twins", "FROM /twinChangeNotifications INTO BrokeredEndpoint(\"/modules/t/inputs/i\")"),
                RouteSpec.of("m1", "FROM /messages/modules/m1 INTO BrokeredEndpoint(\"/modules/m/inputs/i\")")), null);
        assertThat(route(table, Message.builder().build())).extracting(Delivery::route).containsExactly("leafOnly");
        assertThat(route(table, fromModule("x", "o1"))).extracting(Delivery::route).containsExactly("outputs");
        assertThat(route(table, Message.builder().systemProperty("connectionModuleId", "X").build())).isEmpty();
        assertThat(route(table, fromModule("m10", "o"))).isEmpty();
        assertThat(route(table, fromModule("M1", "o"))).extracting(Delivery::route).containsExactly("m1");
        assertThat(route(table, Message.builder().systemProperty("messageType", "twinChangeNotification").build()))
                .extracting(Delivery::route).containsExactly("twins");
    }

    @Test
    void route_consumerRoutesAgain_reentrantCallsAreIndependent() {
        RouteTable table = compiler.compileTable(List.of(
                RouteSpec.of("a", "FROM /messages WHERE NOT is_defined($connectionModuleId) INTO BrokeredEndpoint(\"/modules/f/inputs/in\")"),
                RouteSpec.of("b", "FROM /messages/modules/f INTO $upstream")), null);
        List<String> seen = new ArrayList<>();
        int n = table.route(Message.builder().build(), (sink, p, t, d, r) -> {
            seen.add(r);
            table.route(Message.builder().systemProperty("connectionModuleId", "f").build(),
                    (s2, p2, t2, d2, r2) -> seen.add(r2));
        });
        assertThat(n).isEqualTo(1);
        assertThat(seen).containsExactly("a", "b");
        assertThat(route(table, Message.builder().build())).extracting(Delivery::route).containsExactly("a");
    }

    @Test
    void route_bodyConditions_readTheBodyOnceWithoutATree() {
        List<RouteSpec> specs = new ArrayList<>();
        String[] conditions = {"$body.pressure > 150", "$body.temp < 100", "$body.unit = 'C'", "$body.a.b = 3",
                "$body.arr[1] = 2"};
        for (int i = 0; i < conditions.length; i++) {
            specs.add(RouteSpec.of("r" + i, "FROM /messages/* WHERE " + conditions[i]
                    + " INTO BrokeredEndpoint(\"/modules/f" + i + "/inputs/in\")"));
        }
        RouteTable table = compiler.compileTable(specs, null);
        Message message = Message.builder().jsonBody("{\"pressure\": 160.5, \"temp\": 92.5, \"unit\": \"C\", "
                + "\"skip\": {\"deep\": [1, {\"x\": \"y\"}]}, \"a\": {\"b\": 3}, \"arr\": [1, 2]}").build();
        DeliveryConsumer consumer = (s, p, t, d, r) -> { };
        for (int i = 0; i < 20_000; i++) {
            table.route(message, consumer);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        int deliveries = 0;
        for (int i = 0; i < 10_000; i++) {
            deliveries += table.route(message, consumer);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(deliveries).isEqualTo(10_000 * 5);
        // the body's copy (~130 B), the two doubles' and the string's nodes; a Jackson tree of this body is ~3 kB
        assertThat(allocated / 10_000).isLessThan(400);
    }

    @Test
    void route_propertiesOnlyConditions_allocatesNothing() {
        List<RouteSpec> specs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            specs.add(RouteSpec.of("r" + i, "FROM /messages/modules/m" + (i % 20) + "/* WHERE as_number(temp) > " + i
                    + " AND $connectionDeviceId = 'pump-01' INTO BrokeredEndpoint(\"/modules/f" + (i % 7) + "/inputs/in\")"));
        }
        RouteTable table = compiler.compileTable(specs, null);
        Message message = Message.builder().property("temp", "92.5").systemProperty("connectionDeviceId", "pump-01")
                .systemProperty("connectionModuleId", "m3").systemProperty("outputName", "out").build();
        long[] sum = new long[1];
        DeliveryConsumer consumer = (s, p, t, d, r) -> sum[0] += p;
        for (int i = 0; i < 20_000; i++) {
            table.route(message, consumer);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        int deliveries = 0;
        for (int i = 0; i < 10_000; i++) {
            deliveries += table.route(message, consumer);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(deliveries).isEqualTo(10_000 * 5);
        // A few hundred bytes of slack for the measurement itself; 10 000 messages at even 16 bytes each would be 160 kB.
        assertThat(allocated).isLessThan(10_000);
    }

    @Test
    void trace_explainsWhyRoutesDidNotFire() {
        RouteTable table = compiler.compileTable(List.of(
                RouteSpec.of("hot", "FROM /messages/* WHERE as_number(temp) > 90 INTO $upstream"),
                RouteSpec.of("cold", "FROM /messages/* WHERE as_number(temp) < 0 INTO BrokeredEndpoint(\"/modules/c/inputs/in\")"),
                RouteSpec.of("body", "FROM /messages/* WHERE $body.pressure > 150 INTO BrokeredEndpoint(\"/modules/p/inputs/in\")"),
                RouteSpec.of("mod", "FROM /messages/modules/* INTO BrokeredEndpoint(\"/modules/m/inputs/in\")"),
                new RouteSpec("hot2", "FROM /messages WHERE as_number(temp) > 95 INTO $upstream", 3, 0, false)), null);
        Message noTemp = Message.builder().body("{\"pressure\": 200}").build();
        RouteTrace trace = table.trace(noTemp);
        assertThat(trace.entries()).extracting(RouteTrace.Entry::outcome).containsExactly(
                RouteTrace.Outcome.CONDITION_UNDEFINED, RouteTrace.Outcome.CONDITION_UNDEFINED,
                RouteTrace.Outcome.CONDITION_UNDEFINED, RouteTrace.Outcome.SOURCE_MISMATCH,
                RouteTrace.Outcome.CONDITION_UNDEFINED);
        assertThat(trace.entries().get(0).reasons()).containsExactly("application property 'temp' is missing");
        assertThat(trace.entries().get(2).reasons()).singleElement().asString()
                .contains("$body.pressure is undefined because the message has no contentType");
        String words = trace.explain();
        assertThat(words).contains("route 'mod'", "does not match /messages", "application property 'temp' is missing");

        RouteTrace hot = table.trace(Message.builder().property("temp", "99").build());
        assertThat(hot.entries()).extracting(RouteTrace.Entry::outcome).containsExactly(
                RouteTrace.Outcome.SUPERSEDED, RouteTrace.Outcome.CONDITION_FALSE,
                RouteTrace.Outcome.CONDITION_UNDEFINED, RouteTrace.Outcome.SOURCE_MISMATCH, RouteTrace.Outcome.DELIVERED);
        assertThat(hot.delivered()).extracting(e -> e.route().name()).containsExactly("hot2");
        assertThat(route(table, Message.builder().property("temp", "99").build()))
                .extracting(Delivery::route).containsExactly("hot2");
    }

    @Test
    void trace_bodyNotJson_saysSo() {
        RouteTable table = compiler.compileTable(List.of(
                RouteSpec.of("body", "FROM /* WHERE $body.a = 1 INTO $upstream")), null);
        Message m = Message.builder().jsonBody("{not json").build();
        assertThat(table.trace(m).entries().get(0).reasons()).singleElement().asString()
                .contains("the body is not valid JSON");
        Message charset = Message.builder().jsonBody("{\"a\": 1}")
                .systemProperty("contentType", "application/json; charset=utf-8").build();
        assertThat(table.trace(charset).explain()).contains("not exactly 'application/json'");
        assertThat(table.trace(Message.builder().jsonBody("{\"a\": 1}").build()).delivered()).hasSize(1);
    }

    /** The poisoned TELEMETRY payload of issue 16: {@code {"a":} and 1,010 {@code [}, deeper than the JSON reader goes. */
    static final String NESTED_TOO_DEEP = "{\"a\":" + "[".repeat(1010);

    @Test
    void route_bodyNestedTooDeep_bodyRoutesUndefinedOtherRoutesDeliverAndCounted() {
        RouteTable table = compiler.compileTable(List.of(
                RouteSpec.of("pressure", "FROM /messages/* WHERE $body.pressure > 150 INTO BrokeredEndpoint(\"/modules/p/inputs/in\")"),
                RouteSpec.of("a", "FROM /messages/* WHERE is_defined($body.a) INTO BrokeredEndpoint(\"/modules/a/inputs/in\")"),
                RouteSpec.of("up", "FROM /messages/* INTO $upstream")), null);
        Message poisoned = Message.builder().jsonBody(NESTED_TOO_DEEP).build();

        assertThat(route(table, poisoned)).extracting(Delivery::route).containsExactly("up");
        assertThat(table.unreadableBodies()).as("once per message, however many routes read the body").isEqualTo(1);
        int[] winners = new int[1];
        assertThat(table.routeWinners(poisoned, r -> winners[0] = r)).isEqualTo(1);
        assertThat(winners[0]).isEqualTo(2);
        assertThat(table.unreadableBodies()).isEqualTo(2);
        assertThat(table.conditionFailures()).isZero();

        RouteTrace trace = table.trace(poisoned);
        assertThat(trace.entries().get(0).outcome()).isEqualTo(RouteTrace.Outcome.CONDITION_UNDEFINED);
        assertThat(trace.entries().get(0).reasons()).singleElement().asString()
                .contains("$body.pressure is undefined because the body is beyond the JSON reader's limits")
                .contains("nesting depth (1001) exceeds the maximum allowed (1000");
        assertThat(table.unreadableBodies()).as("a trace counts nothing").isEqualTo(2);

        assertThat(route(table, Message.builder().jsonBody("{\"pressure\": 151}").build())).extracting(Delivery::route)
                .containsExactly("pressure", "a", "up");
        assertThat(table.unreadableBodies()).isEqualTo(2);
    }

    @Test
    void unreadableBodies_countsOnlyBodiesMarkedJsonThatCannotBeRead() {
        RouteTable table = compiler.compileTable(List.of(
                RouteSpec.of("body", "FROM /messages/modules/sensor WHERE $body.a = 1 INTO BrokeredEndpoint(\"/modules/p/inputs/in\")"),
                RouteSpec.of("up", "FROM /messages/* INTO $upstream")), null);
        route(table, Message.builder().jsonBody("{not json").systemProperty("connectionModuleId", "sensor").build());
        assertThat(table.unreadableBodies()).as("malformed").isEqualTo(1);
        route(table, Message.builder().body("{not json").systemProperty("connectionModuleId", "sensor").build());
        route(table, Message.builder().jsonBody("[1, 2]").systemProperty("connectionModuleId", "sensor").build());
        route(table, Message.builder().jsonBody("").systemProperty("connectionModuleId", "sensor").build());
        assertThat(table.unreadableBodies()).as("not marked as JSON, JSON but not an object, empty").isEqualTo(1);
        assertThat(route(table, Message.builder().jsonBody(NESTED_TOO_DEEP).build()))
                .extracting(Delivery::route).containsExactly("up");
        assertThat(table.unreadableBodies()).as("no route the message is a candidate for reads the body").isEqualTo(1);
    }

    @Test
    void route_conditionThrows_undefinedForItsRouteOthersDeliverAndCounted() {
        String text = "FROM /messages/* WHERE a = 'x' INTO BrokeredEndpoint(\"/modules/f/inputs/in\")";
        CompiledRoute boom = new CompiledRoute(RouteSpec.of("boom", text),
                Faults.withThrowingCondition(text, new IllegalStateException("evaluator bug")), List.of());
        CompiledRoute up = compiler.compile(RouteSpec.of("up", "FROM /messages/* INTO $upstream"));
        RouteTable table = new RouteTable(List.of(boom, up), List.of());
        Message m = Message.builder().property("a", "x").build();

        assertThat(route(table, m)).extracting(Delivery::route).containsExactly("up");
        assertThat(table.routeWinners(m, r -> assertThat(r).isEqualTo(1))).isEqualTo(1);
        assertThat(table.conditionFailures()).isEqualTo(2);
        assertThat(table.unreadableBodies()).isZero();
        RouteTrace.Entry entry = table.trace(m).entries().get(0);
        assertThat(entry.outcome()).isEqualTo(RouteTrace.Outcome.CONDITION_UNDEFINED);
        assertThat(entry.reasons()).singleElement().asString()
                .isEqualTo("evaluating the condition 'a = 'x'' failed: java.lang.IllegalStateException: evaluator bug");
        assertThat(table.conditionFailures()).isEqualTo(2);
    }

    @Test
    void traceText_controlCharactersInNamesAndValues_areEscaped() {
        RouteTable table = compiler.compileTable(List.of(
                RouteSpec.of("evil\u001b[2J\u001b]0;owned\u0007", "FROM /messages/modules/* WHERE $body.a = 1 INTO $upstream")), null);
        Message m = Message.builder().systemProperty("connectionModuleId", "m\r\nFAKE LOG LINE\u009b1m")
                .jsonBody("{\"a\": \u0001}").build();
        RouteTrace trace = table.trace(m);
        assertThat(trace.entries().get(0).route().name()).as("the name itself is kept").startsWith("evil\u001b");
        String explained = trace.explain();
        assertThat(explained.replace("\n", "")).doesNotContainPattern("[\\p{Cntrl}\\u0080-\\u009f]");
        assertThat(explained).contains("route 'evil\\u001b[2J\\u001b]0;owned\\u0007'")
                .contains("m\\r\\nFAKE LOG LINE\\u009b1m");
        String line = trace.line(trace.entries().get(0));
        assertThat(line).doesNotContainPattern("[\\p{Cntrl}\\u0080-\\u009f]")
                .startsWith("route 'evil\\u001b[2J\\u001b]0;owned\\u0007' CONDITION_UNDEFINED for a message from "
                        + "/messages/modules/m\\r\\nFAKE LOG LINE\\u009b1m: ")
                .contains("the body is not valid JSON");
    }
}
