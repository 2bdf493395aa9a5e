/**
 * MQTT triggers and publishing on external brokers: {@link io.edgefn.triggers.mqtt.BrokerConnection}
 * is one shared, self-reconnecting Eclipse Paho connection per broker the deployment declares,
 * handing each message to the subscriptions whose filters match
 * ({@link io.edgefn.triggers.mqtt.TopicFilters}) as an {@link io.edgefn.triggers.mqtt.MqttDelivery}
 * acknowledged when its consumer says so.
 */
package io.edgefn.triggers.mqtt;
