package io.edgefn.hub;

import io.edgefn.runtime.ModuleInbox;
import java.util.List;

/**
 * Where the edge hub finds the messages waiting for an external module: usually
 * {@code host::moduleInboxes} of an {@link io.edgefn.runtime.EdgeHost}.
 *
 * <p>Called on an event loop when a module subscribes to its inputs: it must not block.
 */
@FunctionalInterface
public interface ModuleInboxSource {

    /** The inboxes of module {@code moduleId}; empty when no route reaches it (or it is no module of the deployment). */
    List<ModuleInbox> inboxes(String moduleId);
}
