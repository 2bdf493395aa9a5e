package io.edgefn.routes.internal;

import io.edgefn.api.Message;
import io.edgefn.routes.Diagnostic;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the compiler over generated conditions and messages. */
class ConditionPropertiesTest {

    @Property(tries = 1500)
    void evaluate_anyCompiledCondition_neverThrows(@ForAll("conditions") String condition, @ForAll("messages") Message message) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Condition compiled = Frontend.compileCondition(condition, diagnostics);
        net.jqwik.api.statistics.Statistics.label("compiles").collect(compiled != null);
        if (compiled != null) {
            EvalContext context = new EvalContext(message);
            int result = compiled.evaluate(context);
            assertThat(result).isBetween(-1, 1);
            assertThat(compiled.evaluate(context)).as("evaluating twice gives the same result").isEqualTo(result);
            compiled.undefinedReasons(context);
        } else {
            assertThat(diagnostics).anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
        }
    }

    @Property(tries = 1500)
    void print_parsedCondition_parsesToTheSamePrint(@ForAll("conditions") String condition) {
        String printed = Frontend.normalise(condition);
        if (printed != null) {
            assertThat(Frontend.normalise(printed)).isEqualTo(printed);
            List<Diagnostic> a = new ArrayList<>();
            List<Diagnostic> b = new ArrayList<>();
            Condition first = Frontend.compileCondition(condition, a);
            Condition second = Frontend.compileCondition(printed, b);
            assertThat(second == null).as("printing keeps typing: " + printed).isEqualTo(first == null);
            if (first != null) {
                Message m = messageWithEverything();
                assertThat(second.evaluate(m)).isEqualTo(first.evaluate(m));
            }
        }
    }

    private static Message messageWithEverything() {
        return Message.builder().jsonBody("{\"a\": 1, \"s\": \"x\", \"b\": true, \"n\": null, \"arr\": [1, 2]}")
                .property("p", "5").property("q", "x").property("nul", null).systemProperty("sp", "7").build();
    }

    @Provide
    Arbitrary<String> conditions() {
        return expression(3);
    }

    private Arbitrary<String> expression(int depth) {
        Arbitrary<String> atom = Arbitraries.oneOf(
                Arbitraries.of("true", "false", "null", "undefined", "3", "-2", "0.5", "1e400", "0x1F", "3 / 0",
                        "'x'", "\"5\"", "'\\u0041'", "p", "q", "nul", "missing", "$sp", "{$sp}", "$body.a", "$body.s",
                        "$body.b", "$body.n", "$body.arr[1]", "$body.none", "$body", "TRUE", "a-b"),
                Arbitraries.strings().withChars("0123456789.,-e ()").ofMaxLength(6).map(s -> "'" + s + "'"));
        if (depth == 0) {
            return atom;
        }
        Arbitrary<String> sub = Arbitraries.lazy(() -> expression(depth - 1));
        Arbitrary<String> binary = Combinators.combine(sub,
                Arbitraries.of("+", "-", "*", "/", "%", "||", "<", "<=", ">", ">=", "=", "!=", "<>", "AND", "or", "??"), sub)
                .as((l, op, r) -> l + " " + op + " " + r);
        Arbitrary<String> unary = Combinators.combine(Arbitraries.of("NOT ", "- "), sub).as((op, e) -> op + e);
        Arbitrary<String> group = sub.map(e -> "(" + e + ")");
        Arbitrary<String> call1 = Combinators.combine(Arbitraries.of(new ArrayList<>(Builtins.NAMES)), sub)
                .as((f, a) -> f + "(" + a + ")");
        Arbitrary<String> call2 = Combinators.combine(Arbitraries.of("power", "concat", "substring", "index_of",
                "starts_with", "contains", "ends_with"), sub, sub).as((f, a, b) -> f + "(" + a + ", " + b + ")");
        Arbitrary<String> call3 = Combinators.combine(Arbitraries.of("substring", "concat"), sub, sub, sub)
                .as((f, a, b, c) -> f + "(" + a + ", " + b + ", " + c + ")");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, atom), net.jqwik.api.Tuple.of(4, binary), net.jqwik.api.Tuple.of(1, unary),
                net.jqwik.api.Tuple.of(1, group), net.jqwik.api.Tuple.of(2, call1), net.jqwik.api.Tuple.of(1, call2),
                net.jqwik.api.Tuple.of(1, call3));
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("5", "x", "", " 1,000.5 ", "(3)", "1e999", "NaN", "-0"),
                Arbitraries.strings().ofMaxLength(8));
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.of("{\"a\": 1, \"s\": \"x\", \"b\": true, \"n\": null, \"arr\": [1, 2]}",
                        "{\"a\": \"2017-03-09T00:00:00Z\", \"arr\": {}}", "[1, 2]", "{not json", "", "\"str\"",
                        "{\"a\": {\"b\": 1}}"),
                Arbitraries.strings().ofMaxLength(20));
        return Combinators.combine(value, value, body, Arbitraries.of("application/json", "text/plain", "APPLICATION/JSON"),
                Arbitraries.of("utf-8", "utf-16", "utf-32", "latin1"), Arbitraries.of(true, false))
                .as((p, q, b, ct, ce, withNull) -> {
                    Message.Builder m = Message.builder().body(b).property("p", p).property("q", q)
                            .systemProperty("contentType", ct).systemProperty("contentEncoding", ce)
                            .systemProperty("sp", p);
                    if (withNull) {
                        m.property("nul", null);
                    }
                    return m.build();
                });
    }
}
