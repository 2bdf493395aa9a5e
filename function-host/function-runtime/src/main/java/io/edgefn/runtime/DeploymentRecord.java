package io.edgefn.runtime;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.List;

/**
 * One entry of a host's deployment history (see {@link Deployments#history()}). Immutable.
 *
 * @param sequence       its number in this data directory's history, from 1, never reused
 * @param version        the deployment's {@code version} label, or null when it has none
 * @param state          {@link DeploymentState#APPLIED} (it ran or runs), {@link DeploymentState#GATING}
 *                       (the current one, still watched) or {@link DeploymentState#ROLLED_BACK}
 * @param appliedAt      when it was swapped in, on the host's clock
 * @param documentSha256 the SHA-256 of the stored document (its canonical JSON text)
 * @param reasons        why it was rolled back; empty otherwise
 */
public record DeploymentRecord(long sequence, String version, DeploymentState state,
                               @JsonSerialize(using = ToStringSerializer.class) Instant appliedAt,
                               String documentSha256, List<String> reasons) {

    /** Copies the reasons. */
    public DeploymentRecord {
        reasons = List.copyOf(reasons);
    }

    /** This entry in {@code next} state, with {@code why}. */
    public DeploymentRecord with(DeploymentState next, List<String> why) {
        return new DeploymentRecord(sequence, version, next, appliedAt, documentSha256, why);
    }
}
