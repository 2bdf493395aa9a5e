package io.edgefn.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DescriptorsTest {

    /** A binding, its index name, the Java type it requires, whether it reads the body, whether it needs a message. */
    static Stream<Arguments> bindings() {
        return Stream.of(
                Arguments.of(new ParameterDescriptor.Message(), "message", "io.edgefn.api.Message", false, true),
                Arguments.of(new ParameterDescriptor.BodyBytes(), "bodyBytes", "[B", true, true),
                Arguments.of(new ParameterDescriptor.BodyString(), "bodyString", "java.lang.String", true, true),
                Arguments.of(new ParameterDescriptor.BodyJson(), "bodyJson", "com.fasterxml.jackson.databind.JsonNode", true, true),
                Arguments.of(new ParameterDescriptor.Body("com.example.Reading"), "body", "com.example.Reading", true, true),
                Arguments.of(new ParameterDescriptor.Property("unit", false), "property", "java.lang.String", false, true),
                Arguments.of(new ParameterDescriptor.Property("unit", true), "property", "java.util.Optional", false, true),
                Arguments.of(new ParameterDescriptor.Context(), "context", "io.edgefn.api.FunctionContext", false, false),
                Arguments.of(new ParameterDescriptor.Output("alerts", "com.example.Alert"), "output", "io.edgefn.api.Output",
                        false, false),
                Arguments.of(new ParameterDescriptor.DeviceCommands(), "deviceCommands", "io.edgefn.api.DeviceCommands",
                        false, false));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bindings")
    void binding_eachKind_saysWhatItNeeds(ParameterDescriptor p, String name, String type, boolean readsBody,
            boolean needsMessage) {
        assertThat(p.binding()).isEqualTo(name);
        assertThat(p.requiredType()).isEqualTo(type);
        assertThat(p.readsBody()).isEqualTo(readsBody);
        assertThat(p.needsMessage()).isEqualTo(needsMessage);
        assertThat(ParameterDescriptor.Kind.forIndexName(name)).isSameAs(p.kind());
    }

    @Test
    void kind_eachRecord_hasItsOwn() {
        assertThat(ParameterDescriptor.class.getPermittedSubclasses()).hasSize(ParameterDescriptor.Kind.values().length);
        assertThat(Arrays.stream(ParameterDescriptor.Kind.values()).map(ParameterDescriptor.Kind::indexName).distinct())
                .hasSize(ParameterDescriptor.Kind.values().length);
    }

    @Test
    void forIndexName_unknownName_isNull() {
        assertThat(ParameterDescriptor.Kind.forIndexName("bodyText")).isNull();
        assertThat(TriggerDescriptor.Kind.forIndexName("smtp")).isNull();
    }

    @Test
    void timer_bothFormsOrNeither_isRefused() {
        assertThatThrownBy(() -> new TriggerDescriptor.Timer("PT1S", 1000L, "* * * * * *"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either a fixedRate");
        assertThatThrownBy(() -> new TriggerDescriptor.Timer(null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TriggerDescriptor.Timer("PT1S", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TriggerDescriptor.Timer(null, 1000L, "* * * * * *"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void methodDescriptor_moreParametersThanTypes_isRefused() {
        assertThatThrownBy(() -> new MethodDescriptor("m", List.of(), new TriggerDescriptor.Route("in"), "void",
                null, List.of(new ParameterDescriptor.Context())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 parameters but 0 parameter types");
    }
}
