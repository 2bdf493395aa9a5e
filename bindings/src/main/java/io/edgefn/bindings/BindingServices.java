package io.edgefn.bindings;

import io.edgefn.api.DeviceCommands;
import io.edgefn.bindings.state.StateStores;
import java.util.Objects;

/**
 * What the host shares with the parameter binders of one function: the codec for bodies, the
 * device-command binding and the function's state stores. Immutable; the parts are thread-safe.
 *
 * @param codec   reads bodies into parameters and writes what outputs are sent
 * @param devices the host's device commands, as a {@code DeviceCommands} parameter receives them
 * @param states  the function's {@code State} stores, or {@code null} when it has none to bind (a
 *                {@code State} parameter then fails to bind, naming the parameter)
 */
public record BindingServices(BodyCodec codec, DeviceCommands devices, StateStores states) {

    /** Checks the codec and devices are given. */
    public BindingServices {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(devices, "devices");
    }

    /** Services without state stores. */
    public BindingServices(BodyCodec codec, DeviceCommands devices) {
        this(codec, devices, null);
    }
}
