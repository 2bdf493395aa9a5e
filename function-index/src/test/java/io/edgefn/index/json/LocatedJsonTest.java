package io.edgefn.index.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocatedJsonTest {

    private static LocatedJson parse(String json) throws LocatedJson.SyntaxException {
        return LocatedJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parse_nestedDocument_remembersWhereEveryValueAndKeyIs() throws Exception {
        LocatedJson json = parse("{\n  \"a\": {\"b\": [10, {\"c\": true}]},\n  \"d\": null\n}");

        assertThat(json.valueAt("")).isEqualTo(new Position(1, 1));
        assertThat(json.keyAt("a")).isEqualTo(new Position(2, 3));
        assertThat(json.valueAt("a")).isEqualTo(new Position(2, 8));
        assertThat(json.valueAt("a.b[0]")).isEqualTo(new Position(2, 15));
        assertThat(json.valueAt("a.b[1].c")).isEqualTo(new Position(2, 25));
        assertThat(json.valueAt("d")).isEqualTo(new Position(3, 8));
        assertThat(json.root().get("a").get("b").get(1).get("c").booleanValue()).isTrue();
        assertThat(json.root().get("d").isNull()).isTrue();
    }

    @Test
    void valueAt_unknownPath_isUnknownPosition() throws Exception {
        assertThat(parse("{}").valueAt("nothing.here")).isEqualTo(Position.UNKNOWN);
        assertThat(Position.UNKNOWN.known()).isFalse();
    }

    @Test
    void parse_keyWrittenTwice_keepsTheFirstAndListsTheRepetition() throws Exception {
        LocatedJson json = parse("{\"properties.desired\": 1, \"properties.desired\": {\"x\": 2}}");

        assertThat(json.root().get("properties.desired").intValue()).isEqualTo(1);
        assertThat(json.duplicateKeys()).containsExactly(new LocatedJson.DuplicateKey("", "properties.desired",
                new Position(1, 2), new Position(1, 27)));
    }

    @Test
    void parse_numbers_keepTheirKind() throws Exception {
        LocatedJson json = parse("[1, 5000000000, 123456789012345678901234567890, 1.5]");

        assertThat(json.root().get(0).isInt()).isTrue();
        assertThat(json.root().get(1).isLong()).isTrue();
        assertThat(json.root().get(2).isBigInteger()).isTrue();
        assertThat(json.root().get(3).isIntegralNumber()).isFalse();
    }

    @Test
    void parse_malformed_saysWhatWasExpectedAndWhere() {
        LocatedJson.SyntaxException e = catchThrowableOfType(LocatedJson.SyntaxException.class,
                () -> parse("{\n  \"a\": [1 2]\n}"));

        assertThat(e.position()).isEqualTo(new Position(2, 11));
        assertThat(e).hasMessageStartingWith("Unexpected character ('2' (code 50)): was expecting comma to separate Array entries");
    }

    @Test
    void parse_absurdlyDeepNesting_isASyntaxErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        LocatedJson.SyntaxException e = catchThrowableOfType(LocatedJson.SyntaxException.class, () -> parse(deep));

        assertThat(e).hasMessageContaining("nesting depth");
        assertThat(e.position().line()).isEqualTo(1);
    }
}
