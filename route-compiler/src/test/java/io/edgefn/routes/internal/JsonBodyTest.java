package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBodyTest {

    private static Message body(byte[] bytes, String contentType, String encoding) {
        return Message.builder().body(bytes).systemProperty("contentType", contentType)
                .systemProperty("contentEncoding", encoding).build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"utf-8, UTF-8", "UTF-16, UTF-16LE", "utf-32, UTF-32LE"})
    void parse_supportedEncodings_readTheObject(String encoding, String javaCharset) {
        Message m = body("{\"a\": \"é\"}".getBytes(Charset.forName(javaCharset)), "application/json", encoding);
        assertThat(JsonBody.parse(m)).isInstanceOfSatisfying(JsonNode.class,
                n -> assertThat(n.get("a").textValue()).isEqualTo("é"));
    }

    @Test
    void parse_wrongActualEncoding_isAProblem() {
        Message m = body("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), "application/json", "utf-16");
        assertThat(JsonBody.parse(m)).isInstanceOf(JsonBody.Problem.class);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            application/json; charset=utf-8 | utf-8  | not exactly 'application/json'
            text/plain                      | utf-8  | not exactly 'application/json'
            application/json                | latin1 | contentEncoding 'latin1' is not utf-8
            """)
    void parse_unsupportedContent_saysWhy(String contentType, String encoding, String reason) {
        Message m = body("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), contentType, encoding);
        assertThat(JsonBody.parse(m)).isInstanceOfSatisfying(JsonBody.Problem.class,
                p -> assertThat(p.reason()).contains(reason));
    }

    @Test
    void parse_notAnObject_orInvalid_isAProblem() {
        assertThat(JsonBody.parse(Message.builder().jsonBody("[1, 2]").build())).isInstanceOfSatisfying(
                JsonBody.Problem.class, p -> assertThat(p.reason()).isEqualTo("the body is JSON array, not a JSON object"));
        assertThat(JsonBody.parse(Message.builder().jsonBody("{\"a\": 1} x").build())).isInstanceOf(JsonBody.Problem.class);
        assertThat(JsonBody.parse(Message.builder().jsonBody("").build())).isInstanceOf(JsonBody.Problem.class);
        assertThat(JsonBody.parse(Message.builder().build())).isInstanceOfSatisfying(JsonBody.Problem.class,
                p -> assertThat(p.reason()).contains("no contentType"));
    }

    @Test
    void parse_lenientJsonAndBadUtf8_asNewtonsoftAndDotNet() {
        assertThat(JsonBody.parse(Message.builder().jsonBody("{a: 'x', /* c */ \"b\": [1, 2,],}").build()))
                .isInstanceOf(JsonNode.class);
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThat(JsonBody.parse(body(bad, "application/json", "utf-8"))).isInstanceOfSatisfying(JsonNode.class,
                n -> assertThat(n.get("a").textValue()).isEqualTo("\uFFFD"));
        byte[] bom = "\uFEFF{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonBody.parse(body(bom, "application/json", "utf-8"))).isInstanceOf(JsonNode.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"2017-03-09T00:00:00.000Z, true", "2017-03-09T10:20:30, true", "2017-03-09T10:20:30+01:00, true",
            "/Date(1234567890)/, true", "2017-03-09, false", "2017-13-09T00:00:00Z, false", "hello, false",
            "2017-03-09 00:00:00, false"})
    void looksLikeDate_newtonsoftDateStrings(String s, boolean date) {
        assertThat(JsonBody.looksLikeDate(s)).isEqualTo(date);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"utf-8, UTF-8", "utf-16, UTF-16LE", "utf-32, UTF-32LE"})
    void parse_nestedDeeperThanTheLimit_isAnUnreadableProblemNotAnException(String encoding, String javaCharset) {
        // Jackson's nesting error has no location: reading it for the message threw a NullPointerException.
        Message m = body(("{\"a\":" + "[".repeat(1010)).getBytes(Charset.forName(javaCharset)), "application/json", encoding);
        assertThat(JsonBody.parse(m)).isInstanceOfSatisfying(JsonBody.Problem.class, p -> {
            assertThat(p.unreadable()).isTrue();
            assertThat(p.reason()).startsWith("the body is beyond the JSON reader's limits: Document nesting depth (1001)");
        });
        Message atTheLimit = body(("{\"a\":" + "[".repeat(999) + "]".repeat(999) + "}").getBytes(Charset.forName(javaCharset)),
                "application/json", encoding);
        assertThat(JsonBody.parse(atTheLimit)).isInstanceOf(JsonNode.class);
    }

    @Test
    void parse_overLongNumberOrString_isUnreadable() {
        assertThat(JsonBody.parse(Message.builder().jsonBody("{\"n\": " + "9".repeat(1_001) + "}").build()))
                .isInstanceOfSatisfying(JsonBody.Problem.class, p -> assertThat(p.unreadable()).isTrue());
    }

    @Test
    void parse_problemKinds_onlyRefusedBodiesAreUnreadable() {
        assertThat(((JsonBody.Problem) JsonBody.parse(Message.builder().jsonBody("{\"a\": 1} x").build())).unreadable()).isTrue();
        assertThat(((JsonBody.Problem) JsonBody.parse(Message.builder().jsonBody("{a: ").build())).reason())
                .startsWith("the body is not valid JSON: ").contains("at line 1, column");
        assertThat(((JsonBody.Problem) JsonBody.parse(Message.builder().jsonBody("[1]").build())).unreadable()).isFalse();
        assertThat(((JsonBody.Problem) JsonBody.parse(Message.builder().jsonBody("").build())).unreadable()).isFalse();
        assertThat(((JsonBody.Problem) JsonBody.parse(Message.builder().body("{a: ").build())).unreadable()).isFalse();
    }

    @Test
    void evaluate_conditionThatThrows_isUndefinedAndRecordedInTheContext() {
        Condition boom = Faults.throwing("boom", new IllegalStateException("evaluator bug"));
        EvalContext context = new EvalContext(Message.builder().build());
        assertThat(boom.evaluate(context)).isEqualTo(Tri.UNDEFINED);
        assertThat(context.conditionFailures()).isEqualTo(1);
        assertThat(context.lastFailure()).isEqualTo("evaluating the condition 'boom' failed: java.lang.IllegalStateException: evaluator bug");
        context.reset(Message.builder().build());
        assertThat(context.conditionFailures()).isZero();
        assertThat(context.lastFailure()).isNull();
        assertThat(boom.evaluate(Message.builder().build())).isEqualTo(io.edgefn.routes.Truth.UNDEFINED);
    }
}
