package io.edgefn.bindings;

import io.edgefn.api.DeviceCommands;
import java.util.Objects;

/**
 * What the host shares with every parameter binder: the codec for bodies and the device-command
 * binding. Immutable; both parts are thread-safe.
 *
 * @param codec   reads bodies into parameters and writes what outputs are sent
 * @param devices the host's device commands, as a {@code DeviceCommands} parameter receives them
 */
public record BindingServices(BodyCodec codec, DeviceCommands devices) {

    /** Checks both services are given. */
    public BindingServices {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(devices, "devices");
    }
}
