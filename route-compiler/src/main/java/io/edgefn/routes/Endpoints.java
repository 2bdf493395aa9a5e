package io.edgefn.routes;

import java.util.Optional;
import java.util.Set;

/**
 * What a deployment declares, for checking the sinks and sources of its routes; the host
 * implements it. Implementations must not change while a table is being compiled.
 */
public interface Endpoints {

    /** Whether {@code id} is a function of the deployment or an external module it declares. */
    boolean hasModule(String id);

    /** The inputs {@code moduleId} declares (empty when it has none or is unknown). */
    Set<String> inputs(String moduleId);

    /** The outputs {@code moduleId} produces, or empty when they are unknown (an external module): then they are not checked. */
    Optional<Set<String>> outputs(String moduleId);
}
