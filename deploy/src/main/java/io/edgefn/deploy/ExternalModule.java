package io.edgefn.deploy;

import java.util.List;

/**
 * A module that is not a function of this host but connects to its edge hub over MQTT, with the
 * inputs that routes may send to.
 *
 * @param id     the module's id, its key under {@code modules}
 * @param inputs its input names, in document order, without repetitions
 */
public record ExternalModule(String id, List<String> inputs) {

    /** Makes the list of inputs immutable. */
    public ExternalModule {
        inputs = List.copyOf(inputs);
    }
}
