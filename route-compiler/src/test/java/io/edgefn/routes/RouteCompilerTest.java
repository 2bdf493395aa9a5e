package io.edgefn.routes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RouteCompilerTest {

    private final RouteCompiler compiler = RouteCompiler.create();

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            FROM /messages/* INTO $upstream                                     | /messages/            | true                     | $upstream
            from /messages where true into $upstream                            | /messages/            | true                     | $upstream
            SELECT * FROM /messages/* WHERE key1 = 'x' INTO $upstream           | /messages/            | key1 = 'x'               | $upstream
            select * from /* into $UPSTREAM                                     | /                     | true                     | $upstream
            '  FROM /messages/modules* INTO $upstream  '                        | /messages/modules/    | true                     | $upstream
            FROM /messages/modules/m1* INTO $upstream                           | /messages/modules/m1/ | true                     | $upstream
            FROM /messages/modules/ModId1/outputs/Op1 WHERE as_number(temp) > 90 AND $connectionDeviceId = 'pump-01' INTO BrokeredEndpoint("/modules/alert/inputs/in") | /messages/modules/ModId1/outputs/Op1/ | as_number(temp) > 90 AND $connectionDeviceId = 'pump-01' | /modules/alert/inputs/in
            FROM /messages/* INTO brokeredendpoint('/modules/alert/inputs/in/')  | /messages/            | true                     | /modules/alert/inputs/in
            FROM /twinChangeNotifications INTO $upstream                        | /twinChangeNotifications/ | true                 | $upstream
            FROM /messages WHERE /* comment */ key1 = 'a' /* c2 */ INTO $upstream | /messages/           | key1 = 'a'               | $upstream
            """)
    void compile_validRoute(String text, String source, String condition, String sink) {
        CompiledRoute route = compiler.compile(RouteSpec.of("r", text));
        assertThat(route.source()).isEqualTo(source);
        assertThat(route.conditionText()).isEqualTo(condition);
        assertThat(route.sink().address()).isEqualTo(sink);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            FROM /messages/* INTO $upstream WHERE key1 = 'y'          | SYNTAX    | 1 | 33 | Syntax error. Text after the sink is not allowed
            FROM /messages/* INTO $cloud                              | SINK      | 1 | 23 | Unknown system endpoint '$cloud'
            FROM /messages/* INTO Endpoint("/modules/a/inputs/b")     | SINK      | 1 | 23 | Unknown endpoint 'Endpoint'
            FROM /messages/* INTO BrokeredEndpoint("/a/b/c/d")        | SINK      | 1 | 23 | BrokeredEndpoint address '/a/b/c/d' is not of the form
            FROM /messages/* INTO BrokeredEndpoint("/modules/a/inputs") | SINK    | 1 | 23 | BrokeredEndpoint address
            FROM /messages/* WHERE temp > 100 INTO $upstream          | CONDITION | 1 | 24 | Invalid operands to binary operator '>': have 'string' and 'number'
            FROM /messages/* WHERE temp == 100 INTO $upstream         | SYNTAX    | 1 | 30 | Syntax error. Expected a value
            FROM /messages/* WHERE INTO $upstream                     | SYNTAX    | 1 | 24 | Syntax error. Expected a condition after WHERE
            FROM messages INTO $upstream                              | SYNTAX    | 1 | 6  | Syntax error. Expected a source starting with '/'
            FROM /messages/* $upstream                                | SYNTAX    | 1 | 18 | Syntax error. Expected WHERE or INTO
            '   '                                                     | SYNTAX    | 1 | 1  | Syntax error. The route is empty
            FROM /messages/* WHERE (a = 'b' INTO $upstream            | SYNTAX    | 1 | 24 | Syntax error: missing closing ')'
            FROM /messages/* WHERE a = 'b') INTO $upstream            | SYNTAX    | 1 | 31 | Syntax error: unmatched closing ')'
            FROM /messages//x INTO $upstream                          | SYNTAX    | 1 | 6  | Syntax error. The source '/messages//x' has an empty part
            """)
    void compile_invalidRoute_reportsPhasePositionAndMessage(String text, Diagnostic.Phase phase, int line, int column,
                                                             String message) {
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class,
                () -> compiler.compile(RouteSpec.of("bad", text)));
        assertThat(e).isNotNull();
        Diagnostic d = e.diagnostics().get(0);
        assertThat(d.phase()).isEqualTo(phase);
        assertThat(d.message()).startsWith(message);
        assertThat(d.line()).isEqualTo(line);
        assertThat(d.column()).isEqualTo(column);
        assertThat(d.routeName()).isEqualTo("bad");
        assertThat(e.getMessage()).startsWith("route 'bad' " + line + ":" + column + ": ");
    }

    @Test
    void compile_multiLineRoute_positionsCountLines() {
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class, () -> compiler.compile(
                RouteSpec.of("ml", "FROM /messages/*\n  WHERE as_number(temp) > 5\n    AND key1 = 3\nINTO $upstream")));
        Diagnostic d = e.diagnostics().get(0);
        assertThat(d.line()).isEqualTo(3);
        assertThat(d.column()).isEqualTo(9);
        assertThat(d.endLine()).isEqualTo(3);
        assertThat(d.endColumn()).isEqualTo(17);
    }

    @Test
    void compile_severalTypeErrors_reportsAllOfThem() {
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class, () -> compiler.compile(
                RouteSpec.of("r", "FROM /messages WHERE temp > 1 AND nope(x) AND 'a' + 1 = 2 INTO $upstream")));
        assertThat(e.diagnostics()).extracting(Diagnostic::message).containsExactly(
                "Invalid operands to binary operator '>': have 'string' and 'number', expected 'string' and 'string'"
                        + " (properties are strings: compare as_number(…) with a number, or the property with a string)",
                "Invalid built-in function 'nope'",
                "Invalid operands to binary operator '+': have 'string' and 'number', expected 'number' and 'number'");
        assertThat(e.getMessage().lines()).hasSize(3);
    }

    @Test
    void compile_sinkAddressIsRawText_noUnescaping() {
        CompiledRoute route = compiler.compile(RouteSpec.of("r",
                "FROM /messages INTO BrokeredEndpoint('/modules/alert\"Logic/inputs/in')"));
        assertThat(route.sink()).isEqualTo(new Sink.FunctionInput("alert\"Logic", "in"));
    }

    @Test
    void compile_suspiciousRoute_keepsWarnings() {
        CompiledRoute route = compiler.compile(RouteSpec.of("w",
                "FROM /messages WHERE a-b = 'x' AND $correlationId = 'c' INTO $upstream"));
        assertThat(route.warnings()).extracting(Diagnostic::severity).containsOnly(Diagnostic.Severity.WARNING);
        assertThat(route.warnings()).extracting(Diagnostic::message)
                .anySatisfy(m -> assertThat(m).contains("'a-b' is one name"))
                .anySatisfy(m -> assertThat(m).contains("'$cid'"));
    }

    @Test
    void routeSpec_badPriorityOrTtl_namesRouteAndValues() {
        assertThatThrownBy(() -> new RouteSpec("hot", "FROM /* INTO $upstream", 10, -1, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("route 'hot'")
                .hasMessageContaining("priority must be 0..9, was 10")
                .hasMessageContaining("timeToLiveSecs must be 0..4294967295, was -1");
        assertThat(new RouteSpec("ok", "FROM /* INTO $upstream", 9, 0, false).priority()).isEqualTo(9);
        assertThat(RouteSpec.of("d", "x").priority()).isEqualTo(RouteSpec.DEFAULT_PRIORITY);
    }

    @Test
    void compileTable_withEndpoints_checksSinksAndSources() {
        Endpoints endpoints = new Endpoints() {
            @Override
            public boolean hasModule(String id) {
                return Set.of("filter", "alert", "ext").contains(id);
            }

            @Override
            public Set<String> inputs(String moduleId) {
                return moduleId.equals("alert") ? Set.of("in") : Set.of();
            }

            @Override
            public Optional<Set<String>> outputs(String moduleId) {
                return moduleId.equals("filter") ? Optional.of(Set.of("out")) : Optional.empty();
            }
        };
        List<RouteSpec> specs = List.of(
                RouteSpec.of("good", "FROM /messages/modules/filter/outputs/out INTO BrokeredEndpoint(\"/modules/alert/inputs/in\")"),
                RouteSpec.of("noModule", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/ghost/inputs/in\")"),
                RouteSpec.of("noInput", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/alert/inputs/other\")"),
                RouteSpec.of("syntax", "FROM /messages/* WHERE INTO $upstream"));
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class,
                () -> compiler.compileTable(specs, endpoints));
        assertThat(e.diagnostics()).extracting(Diagnostic::routeName).containsExactly("noModule", "noInput", "syntax");
        assertThat(e.diagnostics().get(0).message()).contains("module 'ghost'");
        assertThat(e.diagnostics().get(1).message()).contains("has no input 'other' (its inputs: in)");

        RouteTable table = compiler.compileTable(List.of(
                RouteSpec.of("good", "FROM /messages/modules/filter/outputs/out INTO BrokeredEndpoint(\"/modules/alert/inputs/in\")"),
                RouteSpec.of("wrongOutput", "FROM /messages/modules/filter/outputs/outt INTO $upstream"),
                RouteSpec.of("unknownSource", "FROM /messages/modules/nobody/* INTO $upstream"),
                RouteSpec.of("external", "FROM /messages/modules/ext/outputs/any INTO $upstream")), endpoints);
        assertThat(table.warnings()).extracting(Diagnostic::routeName).containsExactly("wrongOutput", "unknownSource");
        assertThat(table.warnings().get(0).message()).contains("has no output 'outt' (its outputs: out)");
        assertThat(table.sinks()).containsExactly(new Sink.FunctionInput("alert", "in"), Sink.Upstream.INSTANCE);
    }

    @Test
    void compileTable_duplicateNames_isAnError() {
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class, () -> compiler.compileTable(
                List.of(RouteSpec.of("a", "FROM /* INTO $upstream"), RouteSpec.of("a", "FROM /* INTO $upstream")), null));
        assertThat(e.getMessage()).isEqualTo("route 'a' 1:1: another route has the same name 'a'");
    }

    @Test
    void compile_hugeOrDeepRoute_isRefusedWithAnError() {
        String deep = "FROM /messages WHERE " + "(".repeat(5000) + "true" + ")".repeat(5000) + " INTO $upstream";
        assertThat(catchThrowableOfType(RouteCompilationException.class, () -> compiler.compile(RouteSpec.of("deep", deep)))
                .diagnostics().get(0).message()).contains("at most 2000");
        String nested = "FROM /messages WHERE " + "NOT ".repeat(150) + "true INTO $upstream";
        assertThat(catchThrowableOfType(RouteCompilationException.class, () -> compiler.compile(RouteSpec.of("n", nested)))
                .diagnostics().get(0).message()).contains("nests deeper than 100");
        String wide = "FROM /messages WHERE " + "a = 'x' AND ".repeat(400) + "true INTO $upstream";
        assertThat(compiler.compile(RouteSpec.of("wide", wide)).evaluate(io.edgefn.api.Message.builder().build()))
                .isEqualTo(Truth.UNDEFINED);
    }

    @Test
    void compile_fourteenMegabyteRoute_refusedBeforeScanningWithLengthLimitAndWhere() {
        String filler = "a = 'x' AND ".repeat(14 * 1024 * 1024 / 12);
        String huge = "FROM /messages WHERE " + filler + "true INTO $upstream";
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class,
                () -> compiler.compile(RouteSpec.of("huge", huge)));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;

        assertThat(e.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.phase()).isEqualTo(Diagnostic.Phase.SYNTAX);
            assertThat(d.line()).isEqualTo(1);
            assertThat(d.column()).isEqualTo(65_537);
        });
        assertThat(e.getMessage()).isEqualTo(String.format(java.util.Locale.ROOT, "route 'huge' 1:65537: The route text is "
                + "%,d characters long; at most 65,536 (64 KiB) are supported, and it passes the limit here", huge.length()));
        // Before, the scanner tokenised all 14 MB first (780 MB for 13.7 MB) and only then counted tokens.
        assertThat(allocated).as("bytes allocated refusing it").isLessThan(4L * 1024 * 1024);

        String condition = "a = 'x' AND ".repeat(6000) + "true";
        assertThat(catchThrowableOfType(RouteCompilationException.class, () -> compiler.compileCondition(condition))
                .diagnostics()).singleElement().satisfies(d -> assertThat(d.message()).startsWith("The condition text is 72,004 characters"));
    }

    @Test
    void compile_tooManyTokens_errorStartsAtTheFirstTokenPastTheLimit() {
        String text = "FROM /messages WHERE " + "a = 'x' AND ".repeat(1000) + "true INTO $upstream";
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class,
                () -> compiler.compile(RouteSpec.of("long", text)));
        // FROM, /, messages, WHERE, then 4 tokens per "a = 'x' AND": token 2001 is the 'a' of the 500th.
        int offset = "FROM /messages WHERE ".length() + 499 * "a = 'x' AND ".length();
        assertThat(e.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.message()).isEqualTo("Syntax error. The text has more than 2000 tokens; at most 2000 are supported "
                    + "(token 2001 starts here)");
            assertThat(d.column()).isEqualTo(offset + 1);
            assertThat(d.endColumn()).isEqualTo(text.length() + 1);
        });
        String garbage = "FROM /messages WHERE " + "@".repeat(60_000) + " INTO $upstream";
        List<Diagnostic> invalid = catchThrowableOfType(RouteCompilationException.class,
                () -> compiler.compile(RouteSpec.of("g", garbage))).diagnostics();
        assertThat(invalid).as("invalid symbols count against the limit too").hasSizeBetween(1990, 2000);
        assertThat(invalid.get(0).message()).isEqualTo("Syntax error: invalid symbol '@'");
        assertThat(invalid.get(invalid.size() - 1).message()).startsWith("Syntax error. The text has more than 2000 tokens");
    }

    @Test
    void diagnostics_controlCharactersInNamesAndEchoedText_areEscaped() {
        String name = "r\u001b[2J\u001b]0;owned\u0007";
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class, () -> compiler.compileTable(List.of(
                RouteSpec.of(name, "FROM /messages INTO BrokeredEndpoint(\"/modules/m\u001b[31m\r\n/inputs\")"),
                RouteSpec.of(name, "FROM /* INTO $upstream"),
                RouteSpec.of("nel", "FROM /messages WHERE a = 'x' \u0085 INTO $upstream")), null));
        assertThat(e.diagnostics()).hasSize(3);
        assertThat(e.diagnostics().get(0).routeName()).as("the name itself is the deployment's key, kept").isEqualTo(name);
        assertThat(e.getMessage().split("\n")).hasSize(3).allSatisfy(line ->
                assertThat(line).doesNotContainPattern("[\\p{Cntrl}\\u0080-\\u009f]"));
        assertThat(e.getMessage()).contains("route 'r\\u001b[2J\\u001b]0;owned\\u0007' 1:")
                .contains("BrokeredEndpoint address '/modules/m\\u001b[31m\\r\\n/inputs'")
                .contains("another route has the same name 'r\\u001b[2J")
                .contains("\\u0085");
        assertThat(e.diagnostics()).allSatisfy(d ->
                assertThat(d.message()).doesNotContainPattern("[\\p{Cntrl}\\u0080-\\u009f]"));
        assertThat(compiler.compile(RouteSpec.of(name, "FROM /* WHERE a = '\u001b' INTO $upstream")).toString())
                .isEqualTo("route 'r\\u001b[2J\\u001b]0;owned\\u0007': FROM /* WHERE a = '\\u001b' INTO $upstream");
        assertThatThrownBy(() -> new RouteSpec(name, "FROM /* INTO $upstream", 11, 0, false))
                .hasMessage("route 'r\\u001b[2J\\u001b]0;owned\\u0007': priority must be 0..9, was 11");
    }
}
