package io.edgefn.hub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the hub keeps of a client's session between connections when it connected with
 * cleanSession=0: its subscriptions, in memory (a restart of the gateway forgets them, as
 * IoT Hub's SDKs expect to resubscribe after a fresh session). Thread-safe.
 */
final class Session {
    private final Set<String> filters = ConcurrentHashMap.newKeySet();

    /** The subscribed topic filters (a live view). */
    Set<String> filters() {
        return filters;
    }
}
