package io.edgefn.processor;

import io.edgefn.index.FunctionIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.edgefn.testing.InMemoryCompiler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One bad package per error the processor catches. Each source marks the line the error must
 * be reported on with {@code /*!*}{@code /}; the test asserts the error's kind, message and line,
 * that it is the only error, and that no index is written.
 */
class FunctionProcessorErrorsTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withClassPathProcessors();

    private static final String MARK = "/*!*/";

    @TempDir
    Path out;

    static Stream<Arguments> badPackages() {
        return Stream.of(
                // Triggers and modifiers.
                bad("two triggers on one method",
                        "method both has two triggers, @RouteTrigger and @TimerTrigger: a method has exactly one", fn("""
                            @RouteTrigger(input = "a")
                            @TimerTrigger(fixedRate = "PT1S")
                            public void both() { } /*!*/""")),
                bad("trigger method not public", "trigger method hidden must be public", fn("""
                            @RouteTrigger(input = "a")
                            void hidden(Message m) { } /*!*/""")),
                bad("trigger method static",
                        "trigger method still must not be static: the host calls it on the function's instance", fn("""
                            @RouteTrigger(input = "a")
                            public static void still(Message m) { } /*!*/""")),
                bad("trigger on a class without @EdgeFunction",
                        "method onIn has @RouteTrigger but its class Plain is not annotated @EdgeFunction", """
                            package p;
                            import io.edgefn.api.*;
                            public class Plain {
                                @RouteTrigger(input = "in")
                                public void onIn(Message m) { } /*!*/
                            }
                            """),
                bad("timer on a class without @EdgeFunction",
                        "method tick has @TimerTrigger but its class Plain is not annotated @EdgeFunction", """
                            package p;
                            import io.edgefn.api.*;
                            public class Plain {
                                @TimerTrigger(fixedRate = "PT1S")
                                public void tick() { } /*!*/
                            }
                            """),
                // The class.
                bad("function class not public", "@EdgeFunction class p.F must be public", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction("f")
                            class F { /*!*/
                                @RouteTrigger(input = "in")
                                public void onIn(Message m) { }
                            }
                            """),
                bad("function class abstract", "@EdgeFunction class p.F must not be abstract: the host instantiates it", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction("f")
                            public abstract class F { /*!*/
                                @RouteTrigger(input = "in")
                                public void onIn(Message m) { }
                            }
                            """),
                bad("function class without public constructor", "@EdgeFunction class p.F has no public constructor", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction("f")
                            public class F { /*!*/
                                F(int unused) { }
                                @RouteTrigger(input = "in")
                                public void onIn(Message m) { }
                            }
                            """),
                bad("function is an interface", "@EdgeFunction p.F must be a class, not an interface", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction("f")
                            public interface F { /*!*/
                            }
                            """),
                bad("function is an inner class",
                        "@EdgeFunction class p.Outer$F must be top-level or a static nested class", """
                            package p;
                            import io.edgefn.api.*;
                            public class Outer {
                                @EdgeFunction("f")
                                public class F { /*!*/
                                    @RouteTrigger(input = "in")
                                    public void onIn(Message m) { }
                                }
                            }
                            """),
                // Names.
                bad("function name starts with a digit",
                        "@EdgeFunction class p.F has invalid function name \"9lives\": a function name is a letter,"
                                + " then letters, digits, '-', '_' or '.'", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction("9lives")
                            public class F { /*!*/
                                @RouteTrigger(input = "in")
                                public void onIn(Message m) { }
                            }
                            """),
                bad("input name with a space",
                        "method onIn has invalid input name \"in put\": an input name is a letter, then letters,"
                                + " digits, '-' or '_'", fn("""
                            @RouteTrigger(input = "in put")
                            public void onIn(Message m) { } /*!*/""")),
                bad("input name with a dot", "method onIn has invalid input name \"a.b\"", fn("""
                            @RouteTrigger(input = "a.b")
                            public void onIn(Message m) { } /*!*/""")),
                bad("method output name invalid", "method onIn sends to invalid output name \"-out\"", fn("""
                            @RouteTrigger(input = "in")
                            @SendTo("-out")
                            public String onIn(String s) { return s; } /*!*/""")),
                bad("parameter output name invalid",
                        "parameter alerts of onIn sends to invalid output name \"\": an output name is a letter", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(String s,
                                    @SendTo("") Output<String> alerts) { } /*!*/""")),
                bad("duplicate input in one function",
                        "input \"in\" of function \"f\" is already taken by method first: each input triggers one method", fn("""
                            @RouteTrigger(input = "in")
                            public void first(Message m) { }
                            @RouteTrigger(input = "in")
                            public void second(Message m) { } /*!*/""")),
                // Direct methods and desired properties.
                bad("direct method name invalid",
                        "method stop serves invalid direct method name \"a/b\": a direct method name is 1 to 128 letters", fn("""
                            @DirectMethodTrigger("a/b")
                            public void stop(String payload) { } /*!*/""")),
                bad("direct method served twice",
                        "direct method \"stop\" of function \"f\" is already taken by method stop: a call must have one method"
                                + " to answer it", fn("""
                            @DirectMethodTrigger("stop")
                            public void stop(String payload) { }
                            @DirectMethodTrigger("stop")
                            public void halt(JsonNode payload) { } /*!*/""")),
                bad("direct method with @SendTo",
                        "direct method stop is annotated @SendTo(\"out\"), but its return value is the method's answer", fn("""
                            @DirectMethodTrigger("stop")
                            @SendTo("out")
                            public String stop(String payload) { return payload; } /*!*/""")),
                bad("direct method returning a future",
                        "direct method stop returns java.util.concurrent.CompletableFuture<java.lang.String>, which is no answer", fn("""
                            @DirectMethodTrigger("stop")
                            public java.util.concurrent.CompletableFuture<String> stop(String payload) { return null; } /*!*/""")),
                bad("direct method returning a message",
                        "direct method stop returns io.edgefn.api.Message, which is no answer", fn("""
                            @DirectMethodTrigger("stop")
                            public Message stop(Message payload) { return payload; } /*!*/""")),
                bad("direct method with a second body",
                        "parameter b of stop is a second body parameter", fn("""
                            @DirectMethodTrigger("stop")
                            public void stop(String a,
                                    JsonNode b) { } /*!*/""")),
                bad("route and direct method on one method",
                        "method both has two triggers, @RouteTrigger and @DirectMethodTrigger: a method has exactly one", fn("""
                            @RouteTrigger(input = "a")
                            @DirectMethodTrigger("b")
                            public void both(String s) { } /*!*/""")),
                bad("two desired properties triggers",
                        "@DesiredPropertiesTrigger of function \"f\" is already taken by method first: a function takes its"
                                + " desired properties in one method", fn("""
                            @DesiredPropertiesTrigger
                            public void first(JsonNode patch) { }
                            @DesiredPropertiesTrigger
                            public void second(JsonNode patch) { } /*!*/""")),
                bad("direct method on a class without @EdgeFunction",
                        "method stop has @DirectMethodTrigger but its class Plain is not annotated @EdgeFunction", """
                            package p;
                            import io.edgefn.api.*;
                            public class Plain {
                                @DirectMethodTrigger("stop")
                                public void stop(String s) { } /*!*/
                            }
                            """),
                // Function settings.
                bad("maxConcurrency below 1", "@EdgeFunction \"f\" has maxConcurrency 0: it must be at least 1", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction(value = "f", maxConcurrency = 0)
                            public class F { /*!*/
                                @RouteTrigger(input = "in")
                                public void onIn(Message m) { }
                            }
                            """),
                bad("timeoutMillis below 1", "@EdgeFunction \"f\" has timeoutMillis 0: it must be at least 1", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction(value = "f", timeoutMillis = 0)
                            public class F { /*!*/
                                @RouteTrigger(input = "in")
                                public void onIn(Message m) { }
                            }
                            """),
                bad("negative retries", "@EdgeFunction \"f\" has retries -1: it must be 0 or more", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction(value = "f", retries = -1)
                            public class F { /*!*/
                                @RouteTrigger(input = "in")
                                public void onIn(Message m) { }
                            }
                            """),
                // Timers.
                bad("timer with neither fixedRate nor cron",
                        "invalid @TimerTrigger on method tick: timer has neither fixedRate nor cron: give exactly one", fn("""
                            @TimerTrigger
                            public void tick() { } /*!*/""")),
                bad("timer with both fixedRate and cron",
                        "invalid @TimerTrigger on method tick: timer has both fixedRate \"PT1S\" and cron \"0 * * * * *\"", fn("""
                            @TimerTrigger(fixedRate = "PT1S", cron = "0 * * * * *")
                            public void tick() { } /*!*/""")),
                bad("timer with invalid duration",
                        "invalid @TimerTrigger on method tick: fixedRate \"5 seconds\" is not an ISO-8601 duration", fn("""
                            @TimerTrigger(fixedRate = "5 seconds")
                            public void tick() { } /*!*/""")),
                bad("timer with non-positive duration",
                        "invalid @TimerTrigger on method tick: fixedRate \"PT-5S\" must be at least 1 ms", fn("""
                            @TimerTrigger(fixedRate = "PT-5S")
                            public void tick() { } /*!*/""")),
                bad("timer with invalid cron",
                        "invalid @TimerTrigger on method tick: cron \"0 61 * * * *\": field 2 (minute) value 61 is out of range 0-59", fn("""
                            @TimerTrigger(cron = "0 61 * * * *")
                            public void tick() { } /*!*/""")),
                // Parameters.
                bad("two body parameters",
                        "parameter second of onIn is a second body parameter (first already takes the body)", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(String first,
                                    byte[] second) { } /*!*/""")),
                bad("body parameter on a timer",
                        "parameter reading of timer method tick binds body, but a timer has no message", fn("""
                            @TimerTrigger(fixedRate = "PT1S")
                            public void tick(FunctionContext context,
                                    Integer reading) { } /*!*/""")),
                bad("message parameter on a timer",
                        "parameter message of timer method tick binds message, but a timer has no message", fn("""
                            @TimerTrigger(cron = "0 * * * * *")
                            public void tick(
                                    Message message) { } /*!*/""")),
                bad("property parameter on a timer",
                        "parameter unit of timer method tick binds property, but a timer has no message", fn("""
                            @TimerTrigger(fixedRate = "PT1S")
                            public void tick(
                                    @Property("unit") String unit) { } /*!*/""")),
                bad("Output without @SendTo",
                        "parameter alerts of onIn is an Output without @SendTo: name its output, e.g. @SendTo(\"alerts\")", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    Output<String> alerts) { } /*!*/""")),
                bad("@SendTo on a non-Output parameter",
                        "parameter text of onIn is annotated @SendTo but is a java.lang.String", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(
                                    @SendTo("out") String text) { } /*!*/""")),
                bad("@Property on an int",
                        "parameter count of onIn is an int annotated @Property(\"count\"): a property binds only String or Optional<String>", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    @Property("count") int count) { } /*!*/""")),
                bad("primitive body",
                        "parameter pressure of onIn is a double, which cannot hold a message body: a body is JSON,"
                                + " so take a record or class it decodes to", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(
                                    double pressure) { } /*!*/""")),
                bad("@Property on an Optional<Integer>",
                        "a property binds only String or Optional<String>", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    @Property("count") Optional<Integer> count) { } /*!*/""")),
                bad("Optional without @Property",
                        "parameter unit of onIn is an Optional without @Property", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    Optional<String> unit) { } /*!*/""")),
                bad("raw Output", "parameter alerts of onIn is a raw Output: give its element type, e.g. Output<Alert>", fn("""
                            @RouteTrigger(input = "in")
                            @SuppressWarnings("rawtypes")
                            public void onIn(Message m,
                                    @SendTo("alerts") Output alerts) { } /*!*/""")),
                bad("wildcard Output", "give Output a concrete element type", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    @SendTo("alerts") Output<?> alerts) { } /*!*/""")),
                // State stores.
                bad("State without @StateStore",
                        "parameter baselines of onIn is a State without @StateStore: name its store,"
                                + " e.g. @StateStore(\"baselines\") State<Baseline>", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    State<String> baselines) { } /*!*/""")),
                bad("raw State", "parameter baselines of onIn is a raw State: give its element type, e.g. State<Baseline>", fn("""
                            @RouteTrigger(input = "in")
                            @SuppressWarnings("rawtypes")
                            public void onIn(Message m,
                                    @StateStore("baselines") State baselines) { } /*!*/""")),
                bad("wildcard State", "give State a concrete element type Jackson can read and write, e.g."
                                + " State<Baseline>, not a wildcard", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    @StateStore("baselines") State<?> baselines) { } /*!*/""")),
                bad("@StateStore on a non-State parameter",
                        "parameter text of onIn is annotated @StateStore but is a java.lang.String: @StateStore names"
                                + " the store of a State<T> parameter", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(
                                    @StateStore("baselines") String text) { } /*!*/""")),
                bad("invalid store name",
                        "parameter baselines of onIn names invalid store \"../etc\": a store name is 1 to 64 letters,"
                                + " digits, '-' and '_' (it names a file)", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    @StateStore("../etc") State<String> baselines) { } /*!*/""")),
                bad("State with @SendTo",
                        "parameter baselines of onIn is a State with @SendTo or @Property: a State parameter takes only @StateStore", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    @SendTo("out") @StateStore("b") State<String> baselines) { } /*!*/""")),
                bad("one store, two element types",
                        "parameter counts of onOther binds store \"b\" as State<java.lang.Long>, but another method"
                                + " binds it as State<java.lang.String>: a store holds one type of value", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m, @StateStore("b") State<String> names) { }
                            @RouteTrigger(input = "other")
                            public void onOther(Message m,
                                    @StateStore("b") State<Long> counts) { } /*!*/""")),
                bad("@SendTo on a void method",
                        "method onIn is annotated @SendTo(\"out\") but returns void", fn("""
                            @RouteTrigger(input = "in")
                            @SendTo("out")
                            public void onIn(Message m) { } /*!*/""")),
                bad("@Property with a blank name",
                        "parameter unit of onIn has @Property with a blank name: name the application property", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                    @Property(" ") String unit) { } /*!*/""")),
                bad("function is a record", "@EdgeFunction p.F must be a class, not a record", """
                            package p;
                            import io.edgefn.api.*;
                            @EdgeFunction("f")
                            public record F(int x) { /*!*/
                            }
                            """),
                bad("@SendTo and @Property on one parameter", "has both @SendTo and @Property", fn("""
                            @RouteTrigger(input = "in")
                            public void onIn(
                                    @SendTo("out") @Property("p") String p) { } /*!*/""")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPackages")
    void process_badPackage_failsWithOneErrorOnTheOffendingLine(String source, String message) {
        String className = className(source);

        InMemoryCompiler.Result result = JAVAC.compile(Map.of(className, source.replace(MARK, ""))).writeTo(out);

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).as("errors").singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(Diagnostic.Kind.ERROR);
            assertThat(error.text()).contains(message);
            assertThat(error.line()).as("line of: %s", error.text()).isEqualTo(markedLine(source));
        });
        assertThat(result.text(FunctionIndex.RESOURCE)).isEmpty();
    }

    @Test
    void process_duplicateFunctionName_failsOnTheSecondClassNamingBoth() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("p.A", """
                package p;
                import io.edgefn.api.*;
                @EdgeFunction("same")
                public class A {
                    @RouteTrigger(input = "in")
                    public void onIn(Message m) { }
                }
                """);
        sources.put("p.B", """
                package p;
                import io.edgefn.api.*;
                @EdgeFunction("same")
                public class B {
                    @RouteTrigger(input = "in")
                    public void onIn(Message m) { }
                }
                """);

        InMemoryCompiler.Result result = JAVAC.compile(sources).writeTo(out);

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.text()).contains("duplicate function name \"same\"").contains("p.A").contains("p.B");
            assertThat(error.line()).isEqualTo(4);
            assertThat(error.source()).isIn("p.A", "p.B");
        });
        assertThat(result.text(FunctionIndex.RESOURCE)).isEmpty();
    }

    @Test
    void process_manyProblems_reportsEveryOneOnItsOwnLine() {
        String source = fn("""
                    @RouteTrigger(input = "bad input")
                    void first(String a, String b) { }
                    @TimerTrigger(cron = "* * *")
                    public void second(Message m) { }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.errors()).extracting(InMemoryCompiler.Message::line, e -> e.text().substring(0, 30))
                .containsExactlyInAnyOrder(
                        tuple((long) FunctionProcessorTest.lineOf(source, "void first"),
                                "trigger method first must be p"),
                        tuple((long) FunctionProcessorTest.lineOf(source, "void first"),
                                "method first has invalid input"),
                        tuple((long) FunctionProcessorTest.lineOf(source, "void first"),
                                "parameter b of first is a seco"),
                        tuple((long) FunctionProcessorTest.lineOf(source, "void second"),
                                "invalid @TimerTrigger on metho"),
                        tuple((long) FunctionProcessorTest.lineOf(source, "void second"),
                                "parameter m of timer method se"));
    }

    private static Arguments bad(String name, String message, String source) {
        return Arguments.of(Named.of(name, source), message);
    }

    private static String fn(String body) {
        return Sources.function(body);
    }

    private static String className(String source) {
        String pkg = source.lines().filter(l -> l.startsWith("package ")).findFirst().orElseThrow()
                .substring("package ".length()).replace(";", "").trim();
        List<String> types = source.lines().map(String::trim)
                .filter(l -> l.matches("(public )?(abstract )?(class|interface|record) \\w+.*"))
                .map(l -> l.replaceAll("^(public )?(abstract )?(class|interface|record) (\\w+).*", "$4"))
                .toList();
        return pkg + "." + types.getFirst();
    }

    private static long markedLine(String source) {
        return FunctionProcessorTest.lineOf(source, MARK);
    }
}
