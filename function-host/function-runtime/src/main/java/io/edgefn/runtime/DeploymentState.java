package io.edgefn.runtime;

/**
 * Where a deployment is in a host's live-change procedure (see {@link Deployments}).
 *
 * <pre>
 *   APPLYING ──swapped──▶ GATING ──gate passed──▶ APPLIED
 *      │                    │
 *      │invalid             │a new function failed, restarted or erred too often
 *      ▼                    ▼
 *   REFUSED            ROLLED_BACK
 * </pre>
 * A REFUSED deployment never ran and never enters the history; a ROLLED_BACK one ran for a while
 * and is kept in the history with the reason.
 */
public enum DeploymentState {
    /** Being validated, its new functions started and warmed. */
    APPLYING,
    /** Swapped in; its health gate is watching its new functions. */
    GATING,
    /** Running; it passed its health gate (or is the one the host started with). */
    APPLIED,
    /** It ran, failed its health gate (or its new functions did not start) and the previous one runs again. */
    ROLLED_BACK,
    /** Invalid: nothing changed. */
    REFUSED
}
