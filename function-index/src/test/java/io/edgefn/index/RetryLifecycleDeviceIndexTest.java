package io.edgefn.index;

import static io.edgefn.index.FunctionIndexTest.index;
import static io.edgefn.index.FunctionIndexTest.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The index's {@code retry} object and its {@code lifecycle} and {@code deviceEvent} triggers. */
class RetryLifecycleDeviceIndexTest {

    private static final String IN = FunctionIndexTest.IN;
    private static final String RETRY = "\"retry\": {\"maxAttempts\": 3, \"delay\": \"PT1S\", \"backoff\": 2.0, \"maxDelay\": \"PT4S\"}";

    private static String withRetry(String method, String retry) {
        return method.substring(0, method.length() - 1) + ", " + retry + "}";
    }

    @Test
    void parse_methodRetryAndDeviceEvent_areRead() {
        FunctionIndex index = FunctionIndexTest.parse(index("[\"in\"]", "[]", withRetry(method("", IN, ""), RETRY) + ", "
                + method("", "{\"kind\": \"deviceEvent\", \"device\": \"pump-01\"}", "")));

        MethodDescriptor m = index.functions().getFirst().methods().getFirst();
        assertThat(m.retry()).isEqualTo(new RetryDescriptor(3, "PT1S", 2.0, "PT4S"));
        assertThat(index.functions().getFirst().methods().get(1).trigger())
                .isEqualTo(new TriggerDescriptor.DeviceEvent("pump-01"));
        assertThat(new TriggerDescriptor.DeviceEvent("pump-01").routeText("watch")).isEqualTo(
                "FROM /messages/* WHERE $connectionDeviceId = 'pump-01' INTO BrokeredEndpoint(\"/modules/watch/inputs/device.pump-01\")");
    }

    @Test
    void retryDescriptor_badElements_namesEveryProblem() {
        assertThatThrownBy(() -> new RetryDescriptor(0, "soon", 0.5, "PT1S"))
                .hasMessageContaining("maxAttempts is 0").hasMessageContaining("delay 'soon' is not an ISO-8601 duration")
                .hasMessageContaining("backoff is 0.5");
    }

    static Stream<Arguments> badEntries() {
        String direct = "{\"kind\": \"directMethod\", \"method\": \"stop\"}";
        String start = "{\"kind\": \"lifecycle\", \"phase\": \"start\"}";
        return Stream.of(
                Arguments.of(index("[]", "[]", withRetry(method("", direct, ""), RETRY)), "functions[0].methods[0].retry",
                        "a direct method is never retried"),
                Arguments.of(index("[]", "[]", withRetry(method("", start, ""), RETRY)), "functions[0].methods[0].retry",
                        "a lifecycle hook is never retried"),
                Arguments.of(index("[\"in\"]", "[]", withRetry(method("", IN, ""), RETRY.replace("\"PT1S\"", "\"PT9S\""))),
                        "functions[0].methods[0].retry", "delay PT9S is longer than maxDelay PT4S"),
                Arguments.of(index("[\"in\"]", "[]", withRetry(method("", IN, ""), RETRY.replace("3,", "0,"))),
                        "functions[0].methods[0].retry.maxAttempts", "it must be at least 1"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"lifecycle\", \"phase\": \"pause\"}", "")),
                        "functions[0].methods[0].trigger.phase", "lifecycle phase 'pause' is not one of 'start', 'stop'"),
                Arguments.of(index("[]", "[]", method("", start, "") + ", " + method("", start, "")),
                        "functions[0].methods[1].trigger", "lifecycle phase 'start' triggers two methods"),
                Arguments.of(index("[]", "[]", method("\"io.edgefn.api.Message\"", start, "{\"binding\": \"message\"}")),
                        "functions[0].methods[0].parameters[0].binding", "is not for a lifecycle hook"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"deviceEvent\", \"device\": \"pump '01\"}", "")),
                        "functions[0].methods[0].trigger.device", "device id 'pump '01' must be 1 to 128 letters"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("badEntries")
    void parse_badEntry_namesTheProblemAndWhereItIs(String json, String location, String message) {
        IndexException e = catchThrowableOfType(IndexException.class, () -> FunctionIndexTest.parse(json));

        assertThat(e).as("refused: %s", json).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(location);
            assertThat(p.message()).contains(message);
        });
    }
}
