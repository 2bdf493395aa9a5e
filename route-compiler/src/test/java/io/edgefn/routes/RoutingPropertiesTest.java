package io.edgefn.routes;

import io.edgefn.api.Message;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing agrees with the trace and with a direct reading of edgeHub's Evaluator. */
class RoutingPropertiesTest {

    @Property(tries = 400)
    void route_anyTableAndMessage_deliversWhatTheReferenceEvaluatorDoes(@ForAll("tables") List<RouteSpec> specs,
                                                                         @ForAll("messages") Message message) {
        RouteTable table = RouteCompiler.create().compileTable(specs, null);
        Map<Sink, CompiledRoute> expected = new LinkedHashMap<>();
        for (CompiledRoute r : table.routes()) {
            if (r.matchesSource(message.source()) && r.evaluate(message) == Truth.TRUE) {
                CompiledRoute best = expected.get(r.sink());
                if (best == null || r.priority() < best.priority()) {
                    expected.put(r.sink(), r);
                }
            }
        }
        List<String> delivered = new ArrayList<>();
        int n = table.route(message, (sink, p, ttl, durable, name) -> {
            CompiledRoute winner = expected.get(sink);
            assertThat(winner).isNotNull();
            assertThat(name).isEqualTo(winner.name());
            assertThat(p).isEqualTo(winner.priority());
            assertThat(ttl).isEqualTo(winner.timeToLiveSecs());
            assertThat(durable).isEqualTo(winner.durable());
            delivered.add(name);
        });
        assertThat(n).isEqualTo(expected.size());
        assertThat(delivered).containsExactlyElementsOf(expected.values().stream().map(CompiledRoute::name).toList());
        assertThat(table.trace(message).delivered()).extracting(e -> e.route().name())
                .containsExactlyInAnyOrderElementsOf(delivered);
    }

    @Provide
    Arbitrary<List<RouteSpec>> tables() {
        Arbitrary<String> source = Arbitraries.of("/*", "/messages/*", "/messages/modules/*", "/messages/modules/a",
                "/messages/modules/A/outputs/*", "/messages/modules/a/outputs/o", "/twinChangeNotifications", "/messages/x");
        Arbitrary<String> condition = Arbitraries.of("", " WHERE as_number(t) > 5", " WHERE k = 'v'",
                " WHERE NOT is_defined($connectionModuleId)", " WHERE $body.x = 1", " WHERE is_defined(k) OR false",
                " WHERE $body.y.z[1] > 2", " WHERE $body.y.w = 'a' OR $body.x < 2", " WHERE is_null($body.y)");
        Arbitrary<String> sink = Arbitraries.of("$upstream", "BrokeredEndpoint(\"/modules/f/inputs/i\")",
                "BrokeredEndpoint(\"/modules/g/inputs/i\")");
        Arbitrary<Integer> priority = Arbitraries.of(0, 3, 9, RouteSpec.DEFAULT_PRIORITY);
        Arbitrary<String> text = Combinators.combine(source, condition, sink).as((s, c, k) -> "FROM " + s + c + " INTO " + k);
        return Combinators.combine(text, priority, Arbitraries.longs().between(0, 100), Arbitraries.of(true, false))
                .as((t, p, ttl, d) -> new RouteSpec("x", t, p, ttl, d)).list().ofMaxSize(10)
                .map(list -> {
                    List<RouteSpec> named = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        RouteSpec s = list.get(i);
                        named.add(new RouteSpec("r" + i, s.text(), s.priority(), s.timeToLiveSecs(), s.durable()));
                    }
                    return named;
                });
    }

    @Provide
    Arbitrary<Message> messages() {
        return Combinators.combine(Arbitraries.of("device", "a", "A", "b", "twin"), Arbitraries.of("", "o", "O", "p"),
                Arbitraries.of("1", "9", "x"), Arbitraries.of(true, false), Arbitraries.of("{\"x\": 1}", "{\"x\": 2}", "nope",
                        "{\"y\": {\"z\": [1, 3], \"w\": \"a\"}, \"x\": 1}", "{\"y\": {\"z\": [5, 1]}, \"y\": {\"w\": \"a\"}}",
                        "{'y': {z: [0, 9],}, \"x\": 3}", "{\"y\": null, \"x\": 1} trailing"))
                .as((who, output, t, k, body) -> {
                    Message.Builder b = Message.builder().jsonBody(body).property("t", t);
                    if (k) {
                        b.property("k", "v");
                    }
                    if (who.equals("twin")) {
                        b.systemProperty("messageType", "twinChangeNotification");
                    } else if (!who.equals("device")) {
                        b.systemProperty("connectionModuleId", who);
                        if (!output.isEmpty()) {
                            b.systemProperty("outputName", output);
                        }
                    }
                    return b.build();
                });
    }
}
