package io.edgefn.runtime;

import io.edgefn.deploy.Deployment;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A running host's deployment, changed live: {@link #apply} validates a new deployment whole
 * (packages, signatures against the data directory's trusted keys, routes, settings), starts its
 * new and changed functions beside the old ones, swaps the route graph in one step, drains and
 * stops the old versions, then watches the new functions for the deployment's
 * {@link io.edgefn.deploy.HealthGate} and rolls back to the previous deployment if they fail.
 * Unchanged functions (same package hash, settings, desired properties and descriptor) keep
 * running untouched. docs/deployment.md "Live changes" is the user's description.
 *
 * <p>The history keeps the last {@value #HISTORY_LIMIT} entries, oldest first, in the data
 * directory ({@code deployments/}), each with its document, so that a host started without a
 * deployment resumes the current one.
 *
 * <p>Thread-safe: changes are serialised (one applies or rolls back at a time, the others wait
 * their turn); {@link #current()} and {@link #history()} never wait.
 */
public interface Deployments {

    /** How many history entries are kept. */
    int HISTORY_LIMIT = 10;

    /** The entry of the deployment running now. */
    DeploymentRecord current();

    /** The history, oldest first: the deployment the host started with first, then every one applied since. */
    List<DeploymentRecord> history();

    /**
     * Applies {@code deployment} live. Completes when it is applied and passed its gate, or was
     * refused (nothing changed) or rolled back, with every reason; never exceptionally for a bad
     * deployment.
     */
    CompletableFuture<DeployOutcome> apply(Deployment deployment);

    /**
     * Goes back live to an earlier deployment of the history: the latest applied one labelled
     * {@code version}, or (null) the one applied before the current one. The target's stored
     * document is applied as {@link #apply} does, health gate included.
     */
    CompletableFuture<DeployOutcome> rollback(String versionOrNull);
}
