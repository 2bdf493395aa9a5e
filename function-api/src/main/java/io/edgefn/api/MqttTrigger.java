package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Triggers a method with each message published on MQTT topics matching its filters, on an
 * external broker the deployment declares under {@code brokers} or, with the default empty
 * {@link #broker()}, on the gateway's own hub.
 *
 * <p>The payload binds like a message body ({@code String}, {@code byte[]}, {@code JsonNode}, a
 * record); the topic it arrived on is the application property {@value #TOPIC_PROPERTY}, so
 * {@code @Property(MqttTrigger.TOPIC_PROPERTY) String topic} or the {@link Message} see it. The
 * message runs like a routed one: queued, retried, dead-lettered. A QoS 1 message is acknowledged
 * to the broker once it is in the function's queue, so a full queue holds it back at the broker
 * rather than losing it. QoS 2 is refused at compile time: the host gives at-least-once delivery,
 * and exactly-once would mean nothing once a retry can run the method twice.
 *
 * <p>One connection per broker serves every function of the host; it reconnects on its own
 * (100 ms doubling to 30 s, with jitter) and subscribes again.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MqttTrigger {

    /** The application property holding the topic a triggering message was published on. */
    String TOPIC_PROPERTY = "mqtt-topic";

    /**
     * The topic filters, at least one: levels separated by {@code /}, {@code +} a whole level,
     * {@code #} the whole last level, e.g. {@code "plant/+/temperature"} or {@code "sensors/#"}.
     */
    String[] value();

    /** The subscription's quality of service: 0 (at most once) or 1 (at least once, the default). */
    int qos() default 1;

    /** The broker's name under the deployment's {@code brokers}, or empty for the gateway's own hub. */
    String broker() default "";
}
