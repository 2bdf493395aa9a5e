package io.edgefn.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of RFC 7396, appendix A. */
class JsonMergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}               | {\"a\":\"c\"}            | {\"a\":\"c\"}",
            "{\"a\":\"b\"}               | {\"b\":\"c\"}            | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}               | {\"a\":null}             | {}",
            "{\"a\":\"b\",\"b\":\"c\"}   | {\"a\":null}             | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}             | {\"a\":\"c\"}            | {\"a\":\"c\"}",
            "{\"a\":\"c\"}               | {\"a\":[\"b\"]}          | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}       | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}     | {\"a\":[1]}              | {\"a\":[1]}",
            "[\"a\",\"b\"]               | [\"c\",\"d\"]            | [\"c\",\"d\"]",
            "{\"a\":\"b\"}               | [\"c\"]                  | [\"c\"]",
            "{\"a\":\"foo\"}             | null                     | null",
            "{\"e\":null}                | {\"a\":1}                | {\"e\":null,\"a\":1}",
            "[1,2]                       | {\"a\":\"b\",\"c\":null} | {\"a\":\"b\"}",
            "{}                          | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}"})
    void apply_rfc7396Examples(String target, String patch, String expected) throws Exception {
        JsonNode t = JSON.readTree(target);
        JsonNode before = t.deepCopy();

        JsonNode result = JsonMergePatch.apply(t, JSON.readTree(patch));

        assertThat(result).isEqualTo(JSON.readTree(expected));
        assertThat(t).as("the target is not changed").isEqualTo(before);
    }
}
