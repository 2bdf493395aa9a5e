package io.edgefn.index;

import static io.edgefn.index.FunctionIndexTest.index;
import static io.edgefn.index.FunctionIndexTest.method;
import static io.edgefn.index.FunctionIndexTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code mqtt} trigger and the {@code mqttPublisher} binding in the index. */
class MqttIndexTest {

    private static final String TRIGGER = "{\"kind\": \"mqtt\", \"topics\": [\"plant/+/t\", \"a/#\"], \"qos\": 1, \"broker\": \"plant\"}";

    @Test
    void parse_mqttTriggerAndPublisher_areRead() {
        FunctionIndex index = parse(index("[]", "[]", method("\"java.lang.String\", \"io.edgefn.api.MqttPublisher\"", TRIGGER,
                "{\"binding\": \"bodyString\"}, {\"binding\": \"mqttPublisher\", \"broker\": \"\"}")));

        MethodDescriptor m = index.functions().getFirst().methods().getFirst();
        assertThat(m.trigger()).isEqualTo(new TriggerDescriptor.Mqtt(List.of("plant/+/t", "a/#"), 1, "plant"));
        assertThat(m.parameters()).containsExactly(new ParameterDescriptor.BodyString(),
                new ParameterDescriptor.MqttPublisher(""));
    }

    static Stream<Arguments> badTriggers() {
        return Stream.of(
                Arguments.of(TRIGGER.replace("a/#", "a/#/b"), "functions[0].methods[0].trigger.topics[1]",
                        "topic filter 'a/#/b' has '#' before its last level"),
                Arguments.of(TRIGGER.replace("plant/+/t", "plant/x+"), "functions[0].methods[0].trigger.topics[0]",
                        "'+' inside level 'x+'"),
                Arguments.of(TRIGGER.replace("[\"plant/+/t\", \"a/#\"]", "[]"), "functions[0].methods[0].trigger.topics",
                        "'topics' must hold at least one topic filter"),
                Arguments.of(TRIGGER.replace("\"qos\": 1", "\"qos\": 2"), "functions[0].methods[0].trigger.qos", "0 or 1"),
                Arguments.of(TRIGGER.replace("\"broker\": \"plant\"", "\"broker\": \"a b\""),
                        "functions[0].methods[0].trigger.broker", "broker 'a b' must be empty"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("badTriggers")
    void parse_badMqttTrigger_namesTheProblemAndWhereItIs(String trigger, String location, String message) {
        IndexException e = catchThrowableOfType(IndexException.class,
                () -> parse(index("[]", "[]", method("", trigger, ""))));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(location);
            assertThat(p.message()).contains(message);
        });
    }

    @Test
    void filterProblem_validFilters_haveNone() {
        for (String filter : List.of("#", "+", "a", "a/b", "+/+/#", "a//b", "/a", "a/+/c/#")) {
            assertThat(TriggerDescriptor.Mqtt.filterProblem(filter)).as(filter).isNull();
        }
        assertThatThrownBy(() -> new TriggerDescriptor.Mqtt(List.of("a"), 2, ""))
                .hasMessageContaining("qos is 0 or 1, not 2");
    }
}
