package io.edgefn.routes.internal;

import io.edgefn.api.Message;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The allocation-free number parser and the source index against their slow references. */
class NumbersAndIndexPropertiesTest {

    @Property(tries = 3000)
    void parse_decimalText_isCorrectlyRounded(@ForAll("decimals") String text) {
        assertThat(DotNetNumber.parse(text)).isEqualTo(new BigDecimal(text).doubleValue());
    }

    @Property(tries = 1000)
    void parse_javaDoubleText_roundTrips(@ForAll double d) {
        assertThat(DotNetNumber.parse(Double.toString(d))).isEqualTo(d);
    }

    @Provide
    Arbitrary<String> decimals() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(22);
        return net.jqwik.api.Combinators.combine(Arbitraries.of("", "-"), digits, Arbitraries.of("", "."),
                Arbitraries.strings().numeric().ofMaxLength(20), Arbitraries.of("", "e", "E-", "e+"),
                Arbitraries.integers().between(0, 40))
                .as((sign, i, dot, f, e, x) -> sign + i + (dot.isEmpty() ? "" : "." + (f.isEmpty() ? "0" : f))
                        + (e.isEmpty() ? "" : e + x));
    }

    @Property(tries = 500)
    void candidates_sourceIndex_equalsMatchingEveryRoute(@ForAll("routeSources") @Size(max = 12) List<String> routes,
                                                          @ForAll("messages") Message message) {
        List<String> canonical = routes.stream().map(Sources::canonical).toList();
        SourceIndex index = new SourceIndex(canonical);
        int[] expected = IntStream.range(0, routes.size())
                .filter(i -> Sources.matches(routes.get(i), message.source())).toArray();
        assertThat(index.candidates(message)).containsExactly(expected);
    }

    @Provide
    Arbitrary<List<String>> routeSources() {
        Arbitrary<String> part = Arbitraries.of("messages", "MESSAGES", "modules", "m1", "M1", "m10", "outputs", "o",
                "O", "twinChangeNotifications", "*", "x");
        return part.list().ofMaxSize(6).map(parts -> "/" + String.join("/", parts)
                + (parts.size() % 2 == 0 ? "" : "/*")).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<Message> messages() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of("twin", "device", "module"),
                Arbitraries.of("m1", "M1", "m10", "x"), Arbitraries.of("o", "O", "", "outputs"))
                .as((kind, module, output) -> {
                    Message.Builder b = Message.builder();
                    switch (kind) {
                        case "twin" -> b.systemProperty("messageType", "twinChangeNotification");
                        case "module" -> {
                            b.systemProperty("connectionModuleId", module);
                            if (!output.isEmpty()) {
                                b.systemProperty("outputName", output);
                            }
                        }
                        default -> { }
                    }
                    return b.build();
                });
    }

}
