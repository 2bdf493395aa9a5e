package io.edgefn.triggers.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFiltersTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
            "a/b, a/b, true", "a/b, a/c, false", "a/+, a/b, true", "a/+, a/b/c, false", "a/+/c, a/x/c, true",
            "a/#, a, true", "a/#, a/b/c, true", "#, a/b, true", "+, a, true", "+, a/b, false", "+/+, /a, true",
            "a/b, a/b/c, false", "a/b/c, a/b, false", "#, $SYS/x, false", "+/x, $SYS/x, false", "$SYS/#, $SYS/x, true",
            "a//b, a//b, true", "a/+/b, a//b, true"})
    void matches_filterAndTopic(String filter, String topic, boolean matches) {
        assertThat(TopicFilters.matches(filter, topic)).isEqualTo(matches);
    }
}
