package io.edgefn.bindings;

import io.edgefn.api.DeviceCommands;
import java.util.Objects;

/**
 * What the host shares with every parameter binder: the codec for bodies, the device-command
 * binding and the REST clients. Immutable; every part is thread-safe.
 *
 * @param codec   reads bodies into parameters and writes what outputs are sent
 * @param devices the host's device commands, as a {@code DeviceCommands} parameter receives them
 * @param http    the REST clients {@code HttpCall} parameters are bound on, or {@code null} when
 *                there are none (such a parameter then fails to bind)
 */
public record BindingServices(BodyCodec codec, DeviceCommands devices, io.edgefn.bindings.http.HttpCalls http) {

    /** Checks the codec and devices are given. */
    public BindingServices {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(devices, "devices");
    }

    /** Services without REST clients. */
    public BindingServices(BodyCodec codec, DeviceCommands devices) {
        this(codec, devices, null);
    }
}
