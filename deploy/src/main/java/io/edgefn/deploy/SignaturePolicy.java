package io.edgefn.deploy;

import io.edgefn.index.json.Problem;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a gateway may run a deployment, by its signature and the keys the gateway trusts:
 * <ul>
 *   <li>A gateway that trusts no key runs unsigned deployments. A signed one it cannot check, so it
 *       refuses it rather than ignore the signature: trust the signer's key first.</li>
 *   <li>A gateway that trusts any key runs only deployments signed by one of those keys, whose
 *       signature matches the document, and whose packages all carry a {@code sha256} (the
 *       signature covers a jar only through its hash). Unsigned ones run only with
 *       {@code allowUnsigned} — for development — and then with a loud warning.</li>
 *   <li>A signature is never ignored: when there is one it is checked, {@code allowUnsigned} or not.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class SignaturePolicy {

    /**
     * What the check found: who signed, or that an unsigned deployment runs (with a warning to
     * print when only {@code allowUnsigned} let it through).
     *
     * @param signedBy the trusted key id that signed it, or {@code null} when unsigned
     * @param warning  a line to print loudly, or {@code null}
     */
    public record Verdict(String signedBy, String warning) {
    }

    private SignaturePolicy() {
    }

    /**
     * Checks {@code deployment} against {@code trusted}.
     *
     * @throws DeploymentException naming every reason the deployment is refused
     */
    public static Verdict check(Deployment deployment, TrustedKeys trusted, boolean allowUnsigned) {
        DeploymentSignature signature = deployment.signature();
        if (signature == null) {
            if (trusted.isEmpty()) {
                return new Verdict(null, null);
            }
            if (allowUnsigned) {
                return new Verdict(null, "WARNING: deployment " + deployment.origin() + " is NOT SIGNED and runs only"
                        + " because of --allow-unsigned; this gateway trusts " + trusted.ids()
                        + ". Never use --allow-unsigned outside development.");
            }
            throw refused(deployment, "it is not signed, and this gateway runs only deployments signed by a key it trusts ("
                    + String.join(", ", trusted.ids()) + "): sign it with `edgefn sign --key KEY " + deployment.origin()
                    + "` (or, for development only, run with --allow-unsigned)");
        }
        List<String> reasons = new ArrayList<>();
        PublicKey key = trusted.get(signature.keyId());
        if (key == null) {
            reasons.add(trusted.isEmpty()
                    ? "it is signed by " + signature.keyId() + ", but this gateway trusts no key, so it cannot check the"
                            + " signature: trust the signer with `edgefn trust add signing.pub --data-dir DIR`"
                    : "it is signed by " + signature.keyId() + ", which this gateway does not trust (it trusts "
                            + String.join(", ", trusted.ids()) + ")");
        } else if (!signature.verifies(deployment.document(), key)) {
            reasons.add("its signature by " + signature.keyId() + " does not match its content: the document was"
                    + " changed after it was signed; sign it again");
        }
        for (PackageRef ref : deployment.packages().values()) {
            if (ref.sha256() == null) {
                reasons.add("package '" + ref.name() + "' has no 'sha256', so the signature does not cover its jar;"
                        + " `edgefn sign` fills it in");
            }
        }
        if (!reasons.isEmpty()) {
            throw new DeploymentException(deployment.origin(), reasons.stream()
                    .map(r -> new Problem(DeploymentSignature.MEMBER, 0, 0, "refused: " + r)).toList());
        }
        return new Verdict(signature.keyId(), null);
    }

    private static DeploymentException refused(Deployment deployment, String reason) {
        return new DeploymentException(deployment.origin(), List.of(new Problem("", 0, 0, "refused: " + reason)));
    }
}
