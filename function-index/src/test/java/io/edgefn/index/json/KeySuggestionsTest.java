package io.edgefn.index.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggestionsTest {

    private static final List<String> KEYS = List.of("schemaVersion", "version", "packages", "routes", "modules",
            "devices", "storeAndForward", "desired");

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "rutes, routes", "Routes, routes", "roteus, routes", "pakages, packages", "storeandforward, storeAndForward",
            "store-and-forward, storeAndForward", "devcies, devices", "x, none", "schema, none", "desire, desired"})
    void closest_typo_suggestsTheIntendedKeyOrNothing(String typo, String expected) {
        assertThat(KeySuggestions.closest(typo, KEYS).orElse(null)).isEqualTo(expected);
    }
}
