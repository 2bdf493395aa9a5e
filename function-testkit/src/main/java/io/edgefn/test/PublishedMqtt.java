package io.edgefn.test;

import java.nio.charset.StandardCharsets;

/**
 * One message a function published through an {@code MqttPublisher} in a {@link FunctionTestKit}.
 *
 * @param broker  the broker's name, {@code ""} for the gateway's hub
 * @param topic   the topic
 * @param payload the payload's bytes (a String as UTF-8, a value as JSON)
 * @param qos     the QoS asked for
 * @param retain  whether it was to be retained
 */
public record PublishedMqtt(String broker, String topic, byte[] payload, int qos, boolean retain) {

    /** The payload as UTF-8 text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
