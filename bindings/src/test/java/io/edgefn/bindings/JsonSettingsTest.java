package io.edgefn.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonSettingsTest {

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void of_desiredOverridesSettingsAndNestedObjectsMerge() throws Exception {
        JsonSettings s = JsonSettings.of("detector",
                json("{\"z\": 3, \"model\": {\"alpha\": 0.1, \"warmup\": 40}, \"name\": \"a\"}"),
                json("{\"z\": 4.5, \"model\": {\"alpha\": 0.2}}"));
        assertThat(s.number("z", 0)).isEqualTo(4.5);
        assertThat(s.asMap().get("model")).isEqualTo(java.util.Map.of("alpha", 0.2, "warmup", 40));
        assertThat(s.string("name")).contains("a");
        assertThat(s.integer("missing", 7)).isEqualTo(7);
        assertThat(s.bool("missing", true)).isTrue();
    }

    @Test
    void number_wrongTypeNamesTheKeyAndOwner() throws Exception {
        JsonSettings s = JsonSettings.of("detector", json("{\"z\": \"high\"}"), null);
        assertThatThrownBy(() -> s.number("z", 1))
                .hasMessage("setting 'z' of 'detector' must be a number, was \"high\"");
    }

    @Test
    void of_nonObjectIsRefused() throws Exception {
        assertThatThrownBy(() -> JsonSettings.of("f", json("[1]"), null))
                .hasMessageContaining("settings of 'f' must be a JSON object");
    }
}
