package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.Message;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Test
    void decode_roundTripsPropertiesNullValuesAndBinaryBodies() {
        Message original = Message.builder()
                .body(new byte[] {0, 1, (byte) 0xff, 42})
                .property("temp", "91.5")
                .property("present-without-value", null)
                .systemProperty("connectionDeviceId", "pump-01")
                .systemProperty("contentType", "application/json")
                .build();
        Message decoded = MessageCodec.decode(MessageCodec.encode(original));
        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.hasProperty("PRESENT-WITHOUT-VALUE")).isTrue();
        assertThat(decoded.property("present-without-value")).isNull();
    }

    @Test
    void decode_truncatedBytesAreAClearError() {
        byte[] bytes = MessageCodec.encode(Message.ofText("hello"));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 2);
        assertThatThrownBy(() -> MessageCodec.decode(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated or malformed");
    }

    @Test
    void decode_unknownVersionIsNamed() {
        byte[] bytes = MessageCodec.encode(Message.ofText("hello"));
        bytes[0] = 9;
        assertThatThrownBy(() -> MessageCodec.decode(bytes)).hasMessageContaining("format version 9");
    }
}
