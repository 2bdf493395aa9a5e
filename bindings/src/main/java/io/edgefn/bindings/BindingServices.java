package io.edgefn.bindings;

import io.edgefn.api.DeviceCommands;
import io.edgefn.bindings.http.HttpCalls;
import io.edgefn.bindings.state.StateStores;
import io.edgefn.api.MqttPublisher;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the host shares with the parameter binders of one function: the codec for bodies, the
 * device-command binding, the REST clients and the function's state stores. Immutable; every part
 * is thread-safe. Start from {@link #BindingServices(BodyCodec, DeviceCommands)} and add the
 * optional parts with the {@code with…} methods.
 *
 * @param codec   reads bodies into parameters and writes what outputs are sent
 * @param devices the host's device commands, as a {@code DeviceCommands} parameter receives them
 * @param http    the REST clients {@code HttpCall} parameters are bound on, or {@code null} when
 *                there are none (such a parameter then fails to bind)
 * @param states  the function's {@code State} stores, or {@code null} when it has none to bind (a
 *                {@code State} parameter then fails to bind, naming the parameter)
 * @param mqtt    the publisher of each broker by name ({@code ""} for the gateway's hub), as an
 *                {@code MqttPublisher} parameter receives it; throws {@link BindingException} for a
 *                broker the host does not have
 */
public record BindingServices(BodyCodec codec, DeviceCommands devices, HttpCalls http, StateStores states,
                              Function<String, MqttPublisher> mqtt) {

    /** Checks the codec, devices and MQTT publishers are given. */
    public BindingServices {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(mqtt, "mqtt");
    }

    /** Services with neither REST clients, state stores nor MQTT brokers (binding an {@code MqttPublisher} fails). */
    public BindingServices(BodyCodec codec, DeviceCommands devices) {
        this(codec, devices, null, null, NO_MQTT);
    }

    /** These services with {@code http} as the REST clients. */
    public BindingServices withHttp(HttpCalls http) {
        return new BindingServices(codec, devices, http, states, mqtt);
    }

    /** These services with {@code states} as the function's state stores. */
    public BindingServices withStates(StateStores states) {
        return new BindingServices(codec, devices, http, states, mqtt);
    }

    /** These services with {@code mqtt} giving the publisher of each broker. */
    public BindingServices withMqtt(Function<String, MqttPublisher> mqtt) {
        return new BindingServices(codec, devices, http, states, mqtt);
    }

    private static final Function<String, MqttPublisher> NO_MQTT = broker -> {
        throw new BindingException("this host has no MQTT broker "
                + (broker.isEmpty() ? "(the gateway's hub)" : "'" + broker + "'") + " to publish to");
    };
}
