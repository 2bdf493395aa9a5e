package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.Message;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming extraction of {@code $body} values ({@link BodyPlan}) agrees with the tree it
 * replaces ({@link JsonBody#parse} + {@link BodyPath#select}) on every generated body and path:
 * the same values (the same node kinds), the same undefined rules, the same unreadable bodies.
 */
class BodyPlanPropertiesTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "pressure", "é");

    @Property(tries = 3000)
    void extract_anyBodyAndPaths_agreesWithTheTree(@ForAll("bodies") String body, @ForAll("pathLists") List<String> texts) {
        Statistics.label("decided by").collect(assertAgrees(Message.builder().jsonBody(body).build(), texts));
    }

    @Property(tries = 2000)
    void extract_strictJson_agreesWithTheTree(@ForAll("strictBodies") String body, @ForAll("pathLists") List<String> texts) {
        Statistics.label("decided by").collect(assertAgrees(Message.builder().jsonBody(body).build(), texts));
    }

    @Property(tries = 500)
    void extract_anyBytes_agreesWithTheTree(@ForAll("bodies") String body, @ForAll("pathLists") List<String> texts,
                                            @ForAll("cuts") int cut, @ForAll("noise") byte noise) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            bytes[Math.floorMod(cut, bytes.length)] = noise; // bad UTF-8, stray characters, broken structure
        }
        Statistics.label("decided by").collect(assertAgrees(Message.builder().body(bytes)
                .systemProperty("contentType", "application/json").systemProperty("contentEncoding", "utf-8").build(), texts));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\": 1, \"a\": {\"b\": 2}}", "{\"a\": {\"b\": 2}, \"a\": 1}", "{\"a\": [1, {\"b\": 'x'}], \"a\": [7]}",
            "{a: 1, // c\n 'b': [1,2,],}", "{\"a\": 1} x", "{\"a\": 1} {}", "{\"a\": 1", "[1]", "3", "\"s\"", "null", "",
            "{\"a\": 2017-01-01}", "{\"a\": \"2017-03-09T00:00:00.000Z\", \"b\": \"/Date(123)/\"}",
            "{\"a\": NaN, \"b\": -Infinity, \"c\": 1e400, \"pressure\": -0.0}", "{\"a\": .5, \"b\": 12345678901234567890123}",
            "\uFEFF{\"a\": 1}", "{\"c\": {\"a\": {\"b\": [[1]]}}, \"a\": [[], {\"b\": true}, null]}"})
    void extract_edgeCases_agreeWithTheTree(String body) {
        assertAgrees(Message.builder().jsonBody(body).build(),
                List.of("a", "b", "c", "a.b", "a[0]", "a[1].b", "a[2]", "c.a.b", "c.a.b[0]", "pressure", "a[0].b"));
    }

    @Test
    void extract_tooLongNumberOffThePath_leftToTheTree() {
        String body = "{\"a\": 1, \"b\": " + "9".repeat(1_001) + "}";
        Message m = Message.builder().jsonBody(body).build();
        assertAgrees(m, List.of("a"));
        EvalContext context = new EvalContext(m, BodyPlan.ofPaths(List.of(BodyPath.parse("a"))));
        assertThat(context.bodyValue(BodyPath.parse("a"))).isEqualTo(Qv.UNDEFINED);
        assertThat(context.bodyUnreadable()).as("the tree refuses the number, as before").isTrue();
    }

    @Test
    void extract_wellFormedObject_isStreamedWithoutTheTree() {
        BodyPath pressure = BodyPath.parse("pressure");
        BodyPlan plan = BodyPlan.ofPaths(List.of(pressure, BodyPath.parse("x.y[1]"), BodyPath.parse("pressure")));
        assertThat(plan.size()).as("the same path twice takes one slot").isEqualTo(2);
        Object[] values = new Object[plan.size()];
        byte[] body = "{\"pressure\": 160.5, \"x\": {\"y\": [1, \"two\"]}, \"unit\": \"C\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(BodyScan.scanOnce(body, plan.root(), values, plan.size())).as("the fast scanner takes it").isTrue();
        assertThat(((JsonNode) values[plan.slotOf(pressure)]).doubleValue()).isEqualTo(160.5);
        assertThat(((JsonNode) values[1 - plan.slotOf(pressure)]).textValue()).isEqualTo("two");
    }

    /**
     * Asserts the agreement; returns which way decided: "scan" ({@link BodyScan}), "stream"
     * (Jackson's streaming parser) or "tree".
     */
    private static String assertAgrees(Message m, List<String> texts) {
        List<BodyPath> paths = texts.stream().map(BodyPath::parse).toList();
        EvalContext tree = new EvalContext(m);
        EvalContext streamed = new EvalContext(m, BodyPlan.ofPaths(paths));
        Object[] values = new Object[BodyPlan.ofPaths(paths).size()];
        BodyPlan plan = BodyPlan.ofPaths(paths);
        String way = !JsonBody.isUtf8Json(m) || !plan.extract(m.body(), values) ? "tree"
                : plan.stream(m.body(), new Object[plan.size()]) && !BodyScan.scanOnce(m.body(), planRoot(plan), new Object[plan.size()], plan.size())
                ? "stream" : "scan";
        for (int i = 0; i < paths.size(); i++) {
            BodyPath path = paths.get(i);
            Object expected = tree.bodyValue(path);
            Object actual = streamed.bodyValue(path);
            String what = "$body." + texts.get(i) + " of " + new String(m.body(), StandardCharsets.UTF_8);
            if (expected instanceof JsonNode) {
                assertThat(actual).as(what).isEqualTo(expected).hasSameClassAs(expected);
            } else {
                assertThat(actual).as(what).isSameAs(expected);
            }
            // a path outside the plan takes the tree in the same context, and agrees too
            assertThat(streamed.bodyValue(BodyPath.parse(texts.get(i) + ".zz"))).isEqualTo(tree.bodyValue(BodyPath.parse(texts.get(i) + ".zz")));
        }
        assertThat(streamed.bodyUnreadable()).as("unreadable").isEqualTo(tree.bodyUnreadable());
        return way;
    }

    private static BodyPlan.Step planRoot(BodyPlan plan) {
        return plan.root();
    }

    @Provide
    Arbitrary<List<String>> pathLists() {
        Arbitrary<String> step = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of("", "", "[0]", "[1]", "[2]"))
                .as((n, i) -> n + i);
        Arbitrary<String> path = step.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
        return path.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 10_000);
    }

    @Provide
    Arbitrary<Byte> noise() {
        return Arbitraries.of((byte) '}', (byte) ']', (byte) ',', (byte) ':', (byte) '"', (byte) 'x', (byte) 0xC3, (byte) 0xFF,
                (byte) 0, (byte) ' ');
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> top = object(3);
        Arbitrary<String> other = Arbitraries.oneOf(value(1), Arbitraries.strings().ofMaxLength(12));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, top),
                net.jqwik.api.Tuple.of(1, Combinators.combine(top, Arbitraries.of(" ", " x", " {}", " // c", ",")).as((a, b) -> a + b)),
                net.jqwik.api.Tuple.of(1, other));
    }

    /** Strict JSON (what devices send), so that most bodies take {@link BodyScan}'s fast path. */
    @Provide
    Arbitrary<String> strictBodies() {
        return strictObject(3);
    }

    private Arbitrary<String> strictValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "1", "-7", "160.5", "-0.0", "150", "2147483647", "2147483648", "-2147483648",
                        "-2147483649", "999999999999999999", "-999999999999999999", "1000000000000000000",
                        "9223372036854775807", "123456789012345678901234567890", "1e3", "1.5E-3", "1E+2", "1e400",
                        "0.1", "0.30000000000000004", "1234567890.12345", "1234567890.123456", "12345678901234567.5",
                        "true", "false", "null", "\"\"", "\"x\"", "\"a\\\"b\"", "\"\\u00e9\\n\"", "\"é\"", "\"°C\"",
                        "\"2017-03-09T00:00:00.000Z\"", "\"/Date(1234)/\""),
                Arbitraries.doubles().map(String::valueOf).filter(d -> !d.contains("N") && !d.contains("I")),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().alpha().numeric().ofMaxLength(6).map(x -> "\"" + x + "\""));
        if (depth <= 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, scalar),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> strictObject(depth - 1))),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> strictValue(depth - 1).list().ofMaxSize(4)
                        .map(vs -> "[" + String.join(",", vs) + "]"))));
    }

    private Arbitrary<String> strictObject(int depth) {
        Arbitrary<String> name = Arbitraries.of("a", "b", "c", "pressure", "x").map(n -> "\"" + n + "\"");
        Arbitrary<String> space = Arbitraries.of("", " ", "\n ", "\t");
        Arbitrary<String> member = Combinators.combine(space, name, space, strictValue(depth))
                .as((s1, n, s2, v) -> s1 + n + s2 + ":" + s2 + v + s1);
        return member.list().ofMaxSize(5).map(ms -> "{" + String.join(",", ms) + "}");
    }

    private Arbitrary<String> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "1", "-7", "160.5", "150", "2147483648", "-9223372036854775809",
                        "123456789012345678901234567890", "1e3", "1.5E-3", "1e400", "-1e400", "0.1", ".5", "NaN",
                        "Infinity", "-Infinity", "true", "false", "null", "\"\"", "\"x\"", "'single'", "\"a\\\"b\"",
                        "\"\\u00e9\"", "\"2017-03-09T00:00:00.000Z\"", "\"2017-03-09T00:00:00\"", "\"/Date(1234)/\"",
                        "\"2017-13-09T00:00:00\"", "\"é\""),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().alpha().numeric().ofMaxLength(6).map(s -> "\"" + s + "\""));
    }

    private Arbitrary<String> value(int depth) {
        if (depth <= 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, scalar()),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1))),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> array(depth - 1))));
    }

    private Arbitrary<String> object(int depth) {
        Arbitrary<String> name = Arbitraries.of(NAMES).flatMap(n -> Arbitraries.of("\"" + n + "\"", "'" + n + "'", n,
                "\"" + n + "\""));
        Arbitrary<String> member = Combinators.combine(name, value(depth)).as((n, v) -> n + ": " + v);
        return Combinators.combine(member.list().ofMaxSize(5), Arbitraries.of("", "", ",", " /* c */"))
                .as((ms, tail) -> "{" + String.join(", ", ms) + (ms.isEmpty() ? "" : tail) + "}");
    }

    private Arbitrary<String> array(int depth) {
        return Combinators.combine(value(depth).list().ofMaxSize(4), Arbitraries.of("", ","))
                .as((vs, tail) -> "[" + String.join(", ", vs) + (vs.isEmpty() ? "" : tail) + "]");
    }
}
