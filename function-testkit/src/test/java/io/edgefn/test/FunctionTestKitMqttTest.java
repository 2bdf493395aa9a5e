package io.edgefn.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.test.mqttfns.Relay;
import org.junit.jupiter.api.Test;

class FunctionTestKitMqttTest {

    @Test
    void mqtt_runsTheMatchingTriggerWithTheTopic_andRecordsWhatItPublishes() {
        try (FunctionTestKit kit = FunctionTestKit.of(Relay.class).start()) {
            int ran = kit.mqtt("plant", "plant/line-1/reading", "{\"sensor\": \"t1\", \"value\": 4.5}");

            assertThat(ran).isEqualTo(1);
            assertThat(kit.outputs("seen")).extracting(Message::bodyAsString).containsExactly("plant/line-1/reading");
            assertThat(kit.mqttPublished()).singleElement().satisfies(p -> {
                assertThat(p.broker()).isEqualTo("plant");
                assertThat(p.topic()).isEqualTo("ack/t1");
                assertThat(p.payloadText()).isEqualTo("{\"value\":4.5}");
                assertThat(p.qos()).isEqualTo(1);
                assertThat(p.retain()).isTrue();
            });
        }
    }

    @Test
    void mqtt_onAnotherBrokerOrTopic_runsNothing() {
        try (FunctionTestKit kit = FunctionTestKit.of(Relay.class).start()) {
            assertThat(kit.mqtt("", "plant/line-1/reading", "{}")).isZero();
            assertThat(kit.mqtt("plant", "plant/line-1/other", "{}")).isZero();
            assertThat(kit.mqttPublished()).isEmpty();
        }
    }
}
