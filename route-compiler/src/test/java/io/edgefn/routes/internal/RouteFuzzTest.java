package io.edgefn.routes.internal;

import io.edgefn.routes.Diagnostic;
import io.edgefn.routes.RouteCompilationException;
import io.edgefn.routes.RouteCompiler;
import io.edgefn.routes.RouteSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Random and mutated routes: only RouteCompilationException escapes, and every diagnostic is placed in the text. */
class RouteFuzzTest {

    private static final List<String> SEEDS = List.of(
            "FROM /messages/* WHERE as_number(temp) > 90 AND $connectionDeviceId = 'pump-01' INTO $upstream",
            "SELECT * FROM /messages/modules/m1/outputs/o WHERE $body.a.b[2] = \"x\" INTO BrokeredEndpoint(\"/modules/f/inputs/in\")",
            "from /twinChangeNotifications where is_defined({$body.x}) or not (a <> 'b') into $upstream",
            "FROM /* WHERE concat(a, 'b\\u0041') || \"\\\"\" ?? 'z' = 'q' /* comment */ INTO $upstream");

    @Property(tries = 3000)
    void compile_mutatedRoute_onlyRouteCompilationException(@ForAll("mutatedRoutes") String text) {
        check(text);
    }

    @Property(tries = 1500)
    void compile_randomText_onlyRouteCompilationException(@ForAll("randomRoutes") String text) {
        check(text);
    }

    private static void check(String text) {
        try {
            RouteCompiler.create().compile(RouteSpec.of("fuzz", text)).warnings().forEach(d -> placed(d, text));
        } catch (RouteCompilationException e) {
            assertThat(e.diagnostics()).isNotEmpty();
            e.diagnostics().forEach(d -> placed(d, text));
        }
    }

    private static void placed(Diagnostic d, String text) {
        long lines = text.chars().filter(c -> c == '\n').count() + 1;
        assertThat(d.routeName()).isEqualTo("fuzz");
        assertThat(d.line()).isBetween(1, (int) lines);
        assertThat(d.endLine()).isBetween(d.line(), (int) lines);
        assertThat(d.column()).isPositive();
        assertThat(d.endColumn()).isGreaterThan(d.endLine() == d.line() ? d.column() - 1 : 0);
        assertThat(d.column()).isLessThanOrEqualTo(text.length() + 1);
        assertThat(d.message()).isNotBlank();
    }

    @Provide
    Arbitrary<String> mutatedRoutes() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 200);
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.of("(", ")", "'", "\"", "\\", "/*", "*/", "$", "{", "}",
                "[", "]", "-", " ", "\n", "@", "WHERE", "INTO", "NOT", "??", "=", "0x", "e", ".", "[9]", "\u00e9", "\ud83d"),
                Arbitraries.strings().ofMaxLength(3));
        return Combinators.combine(seed, position, position, insert, Arbitraries.integers().between(0, 3))
                .as((s, p, q, ins, kind) -> {
                    int a = Math.min(p, s.length());
                    int b = Math.min(Math.max(a, q), s.length());
                    return switch (kind) {
                        case 0 -> s.substring(0, a) + ins + s.substring(a);
                        case 1 -> s.substring(0, a) + s.substring(b);
                        case 2 -> s.substring(0, a) + ins + s.substring(b);
                        default -> s.substring(0, a);
                    };
                });
    }

    @Provide
    Arbitrary<String> randomRoutes() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("FROMWHEREINTO/*$()'\"\\{}[]<>=!?-+|.,;:@ abc019\n\t").ofMaxLength(60),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("()'\"$.[]0123456789-e ").ofMaxLength(30)
                        .map(s -> "FROM /messages WHERE " + s + " INTO $upstream"));
    }
}
