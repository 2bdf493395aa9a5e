package io.edgefn.bindings;

import io.edgefn.api.DeviceCommands;
import io.edgefn.api.MqttPublisher;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the host shares with every parameter binder: the codec for bodies and the device-command
 * binding. Immutable; both parts are thread-safe.
 *
 * @param codec   reads bodies into parameters and writes what outputs are sent
 * @param devices the host's device commands, as a {@code DeviceCommands} parameter receives them
 * @param mqtt    the publisher of each broker by name ({@code ""} for the gateway's hub), as an
 *                {@code MqttPublisher} parameter receives it; throws {@link BindingException} for a
 *                broker the host does not have
 */
public record BindingServices(BodyCodec codec, DeviceCommands devices, Function<String, MqttPublisher> mqtt) {

    /** Checks the services are given. */
    public BindingServices {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(mqtt, "mqtt");
    }

    /** Services without MQTT brokers: binding an {@code MqttPublisher} fails. */
    public BindingServices(BodyCodec codec, DeviceCommands devices) {
        this(codec, devices, broker -> {
            throw new BindingException("this host has no MQTT broker "
                    + (broker.isEmpty() ? "(the gateway's hub)" : "'" + broker + "'") + " to publish to");
        });
    }
}
