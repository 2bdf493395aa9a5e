package io.edgefn.hub.twin;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Something in the gateway that is managed like a device without an MQTT connection of its own —
 * a function, or the gateway itself — registered with
 * {@link DeviceManagement#register(TwinId, ManagedTarget)}: it serves direct methods and hears
 * about desired-property patches. Its reported properties go through
 * {@link DeviceManagement#patchReported(TwinId, byte[])} like anyone's.
 *
 * <p>Threading: called on the facade's I/O thread, one call at a time per facade; an
 * implementation must not block it (hand long work to its own executor and complete the stage
 * later). A thrown exception becomes a 500 answer (methods) or a logged error (desired).
 */
public interface ManagedTarget {

    /**
     * Serves method {@code name}; the caller's timeout still applies (504).
     *
     * @param payload the request's JSON payload (may be empty)
     */
    default CompletionStage<MethodResponse> invokeMethod(String name, byte[] payload) {
        return CompletableFuture.completedFuture(MethodResponse.error(404, "no method '" + name + "' here"));
    }

    /**
     * The desired properties changed by {@code patch} (a merge patch, without {@code $version});
     * {@code twin} is the twin after it.
     */
    default void desiredPropertiesChanged(TwinDocument twin, byte[] patch, long version) {
    }
}
