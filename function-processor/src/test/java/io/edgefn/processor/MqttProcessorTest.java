package io.edgefn.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.index.FunctionIndex;
import io.edgefn.index.ParameterDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.testing.InMemoryCompiler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code @MqttTrigger}, {@code MqttPublisher} and {@code @MqttOutput} through the processor: what
 * a good method writes to the index, and each misuse as one error on the line marked
 * {@code /*!*}{@code /}.
 */
class MqttProcessorTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withClassPathProcessors();
    private static final String MARK = "/*!*/";

    @TempDir
    Path out;

    @Test
    void process_mqttTriggerAndPublishers_writesTheirDescriptors() {
        String source = Sources.function("""
                    public record Reading(String sensor, double value) { }

                    @MqttTrigger(value = {"plant/+/temperature", "legacy/#"}, qos = 0, broker = "plant")
                    public void onReading(Reading reading, @Property(MqttTrigger.TOPIC_PROPERTY) String topic,
                            @MqttOutput(broker = "plant") MqttPublisher plant, MqttPublisher hub) { }

                    @MqttTrigger("devices/+/messages/events/#")
                    public void onLocal(byte[] payload, @MqttOutput MqttPublisher hub) { }

                    @TimerTrigger(fixedRate = "PT1S")
                    public void tick(@MqttOutput(broker = "plant") MqttPublisher plant) { }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out).orThrow();

        FunctionIndex index = FunctionIndex.parse(new java.io.ByteArrayInputStream(
                result.text(FunctionIndex.RESOURCE).orElseThrow().getBytes(StandardCharsets.UTF_8)), "index");
        var methods = index.functions().getFirst().methods();
        assertThat(methods).extracting(m -> m.trigger()).containsExactly(
                new TriggerDescriptor.Mqtt(java.util.List.of("plant/+/temperature", "legacy/#"), 0, "plant"),
                new TriggerDescriptor.Mqtt(java.util.List.of("devices/+/messages/events/#"), 1, ""),
                TriggerDescriptor.Timer.ofFixedRate("PT1S", 1000));
        assertThat(methods.getFirst().parameters()).containsExactly(new ParameterDescriptor.Body("p.F$Reading"),
                new ParameterDescriptor.Property("mqtt-topic", false), new ParameterDescriptor.MqttPublisher("plant"),
                new ParameterDescriptor.MqttPublisher(""));
        assertThat(methods.get(1).parameters()).containsExactly(new ParameterDescriptor.BodyBytes(),
                new ParameterDescriptor.MqttPublisher(""));
    }

    static Stream<Arguments> misuses() {
        return Stream.of(
                bad("'#' not last", "invalid @MqttTrigger on method on: topic filter 'a/#/b' has '#' before its last level",
                        """
                        @MqttTrigger("a/#/b")
                        public void on(String s) { } /*!*/"""),
                bad("'+' mixed in a level", "topic filter 'a/x+/b' has '+' inside level 'x+'", """
                        @MqttTrigger({"ok/+", "a/x+/b"})
                        public void on(String s) { } /*!*/"""),
                bad("empty filter", "invalid @MqttTrigger on method on: a topic filter must not be empty", """
                        @MqttTrigger("")
                        public void on(String s) { } /*!*/"""),
                bad("no filter", "@MqttTrigger on method on has no topic filter", """
                        @MqttTrigger({})
                        public void on(String s) { } /*!*/"""),
                bad("qos 2", "asks for qos 2, which the host does not offer", """
                        @MqttTrigger(value = "a", qos = 2)
                        public void on(String s) { } /*!*/"""),
                bad("broker name invalid", "names invalid broker \"a b\"", """
                        @MqttTrigger(value = "a", broker = "a b")
                        public void on(String s) { } /*!*/"""),
                bad("@MqttOutput on a String", "parameter s of on is annotated @MqttOutput but is a java.lang.String", """
                        @RouteTrigger(input = "in")
                        public void on(
                                @MqttOutput(broker = "plant") String s) { } /*!*/"""),
                bad("publisher broker invalid", "parameter p of on publishes to invalid broker \"-x\"", """
                        @RouteTrigger(input = "in")
                        public void on(
                                @MqttOutput(broker = "-x") MqttPublisher p) { } /*!*/"""),
                bad("publisher with @SendTo", "parameter p of on is an MqttPublisher with @SendTo or @Property", """
                        @RouteTrigger(input = "in")
                        public void on(
                                @SendTo("out") MqttPublisher p) { } /*!*/"""),
                bad("two bodies", "parameter b of on is a second body parameter", """
                        @MqttTrigger("a")
                        public void on(String a,
                                byte[] b) { } /*!*/"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misuses")
    void process_mqttMisuse_failsWithOneErrorOnTheOffendingLine(String source, String message) {
        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source.replace(MARK, ""))).writeTo(out);

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).as("errors").singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(Diagnostic.Kind.ERROR);
            assertThat(error.text()).contains(message);
            assertThat(error.line()).as("line of: %s", error.text())
                    .isEqualTo(FunctionProcessorTest.lineOf(source, MARK));
        });
        assertThat(result.text(FunctionIndex.RESOURCE)).isEmpty();
    }

    private static Arguments bad(String name, String message, String body) {
        return Arguments.of(Named.of(name, Sources.function(body)), message);
    }
}
