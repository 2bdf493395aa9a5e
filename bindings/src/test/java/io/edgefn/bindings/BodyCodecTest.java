package io.edgefn.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyCodecTest {

    record Reading(double pressure, double temp) {
    }

    private final BodyCodec codec = new BodyCodec();

    @Test
    void read_recordIgnoresUnknownFields() {
        Message m = Message.builder().jsonBody("{\"pressure\": 87.5, \"temp\": 61, \"rpm\": 1450}").build();
        assertThat(codec.read(m, Reading.class)).isEqualTo(new Reading(87.5, 61));
    }

    @Test
    void read_rawForms() {
        Message m = Message.builder().body("{\"a\":1}").build();
        assertThat((byte[]) codec.read(m, byte[].class)).isEqualTo("{\"a\":1}".getBytes());
        assertThat(codec.read(m, String.class)).isEqualTo("{\"a\":1}");
        assertThat(((JsonNode) codec.read(m, JsonNode.class)).get("a").asInt()).isEqualTo(1);
    }

    @Test
    void read_invalidJsonNamesTheTypeAndTheProblem() {
        Message m = Message.builder().body("{\"pressure\": ").build();
        assertThatThrownBy(() -> codec.read(m, Reading.class))
                .isInstanceOf(BindingException.class)
                .hasMessageContaining("cannot be read as")
                .hasMessageContaining("Reading");
    }

    @Test
    void read_emptyBodyIsAClearError() {
        assertThatThrownBy(() -> codec.read(Message.builder().build(), Reading.class))
                .hasMessageContaining("the body is empty");
    }

    @Test
    void write_pojoBecomesQueryableJson() {
        Message m = codec.write(new Reading(1.5, 2), Map.of("kind", "reading")).build();
        assertThat(m.bodyAsString()).isEqualTo("{\"pressure\":1.5,\"temp\":2.0}");
        assertThat(m.systemProperty(SystemProperties.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(m.systemProperty(SystemProperties.CONTENT_ENCODING)).isEqualTo("utf-8");
        assertThat(m.property("KIND")).isEqualTo("reading");
    }

    @Test
    void write_messageIsKeptAndBytesAreRaw() {
        Message original = Message.builder().body("x").property("p", "1").build();
        assertThat(codec.write(original, Map.of()).build()).isEqualTo(original);
        assertThat(codec.write(new byte[] {1, 2}, Map.of()).build().body()).containsExactly(1, 2);
    }

    @Test
    void collectingOutput_stampsTheSourceAndRefusesNull() {
        CollectingOutput<Object> out = new CollectingOutput<>("detector", "anomalies", codec);
        out.send(List.of(1, 2));
        assertThat(out.messages()).singleElement()
                .satisfies(m -> assertThat(m.source()).isEqualTo("/messages/modules/detector/outputs/anomalies"));
        assertThatThrownBy(() -> out.send(null)).hasMessageContaining("'anomalies'").hasMessageContaining("'detector'");
    }
}
