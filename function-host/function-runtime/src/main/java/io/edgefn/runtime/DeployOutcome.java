package io.edgefn.runtime;

import java.util.List;

/**
 * How a {@link Deployments#apply} or {@link Deployments#rollback} ended. Immutable.
 *
 * @param version    the deployment's {@code version} label, or null when it has none
 * @param state      {@link DeploymentState#APPLIED}, {@link DeploymentState#ROLLED_BACK} or
 *                   {@link DeploymentState#REFUSED}; {@link DeploymentState#GATING} only when the
 *                   host stopped while the gate watched
 * @param reasons    every reason it was refused or rolled back; empty when applied
 * @param applyMillis from the call to the swap of the route graph (validation, staging, starting
 *                   and warming the new functions) — what a user waits for beyond the gate
 * @param gateMillis how long the health gate watched, on the host's clock
 */
public record DeployOutcome(String version, DeploymentState state, List<String> reasons, long applyMillis,
                            long gateMillis) {

    /** Copies the reasons. */
    public DeployOutcome {
        reasons = List.copyOf(reasons);
    }

    /** Whether the deployment runs now and passed its gate. */
    public boolean applied() {
        return state == DeploymentState.APPLIED;
    }
}
