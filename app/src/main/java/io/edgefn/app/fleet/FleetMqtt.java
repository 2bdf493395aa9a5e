package io.edgefn.app.fleet;

import io.edgefn.upstream.UpstreamConfig;
import io.edgefn.upstream.UpstreamConfigException;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * Connection options of the fleet's MQTT connections (a gateway's agent, the CLI), from the same
 * {@link UpstreamConfig} the upstream link uses: address, username/password, TLS trust and client
 * certificate. Stateless.
 */
final class FleetMqtt {

    private FleetMqtt() {
    }

    /** Options for {@code config}: MQTT 3.1.1, clean session, no automatic reconnect (callers back off themselves). */
    static MqttConnectOptions options(UpstreamConfig config) {
        if (config.mode() != UpstreamConfig.Mode.BROKER) {
            throw new UpstreamConfigException("fleet deployments need an MQTT broker (mqtt:// or mqtts://); an IoT Hub"
                    + " connection string cannot carry them (see docs/deployment.md \"Fleets\")");
        }
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(1000);
        if (config.socketFactory() != null) {
            o.setSocketFactory(config.socketFactory());
        }
        if (config.username() != null) {
            o.setUserName(config.username());
            if (config.password() != null) {
                o.setPassword(config.password().toCharArray());
            }
        }
        return o;
    }
}
