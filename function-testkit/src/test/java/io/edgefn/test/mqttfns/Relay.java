package io.edgefn.test.mqttfns;

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.MqttOutput;
import io.edgefn.api.MqttPublisher;
import io.edgefn.api.MqttTrigger;
import io.edgefn.api.Property;
import io.edgefn.api.SendTo;
import java.util.Map;

/** An MQTT-triggered function that publishes to its broker and routes to an output. */
@EdgeFunction("relay")
public class Relay {

    /** A reading on the plant broker. */
    public record Reading(String sensor, double value) { }

    @MqttTrigger(value = "plant/+/reading", broker = "plant")
    @SendTo("seen")
    public String onReading(Reading reading, @Property(MqttTrigger.TOPIC_PROPERTY) String topic,
                            @MqttOutput(broker = "plant") MqttPublisher plant) {
        plant.publish("ack/" + reading.sensor(), Map.of("value", reading.value()), 1, true);
        return topic;
    }
}
