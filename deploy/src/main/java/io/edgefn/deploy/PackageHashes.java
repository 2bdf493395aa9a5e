package io.edgefn.deploy;

import io.edgefn.index.json.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The first check of a deployment that names local package files: each file whose package declares
 * a {@code sha256} is hashed, and any difference refuses the whole deployment, every mismatch
 * listed — before a package is staged or loaded, and whatever copies of packages a gateway
 * already holds. Stateless and thread-safe.
 */
public final class PackageHashes {

    private PackageHashes() {
    }

    /**
     * The SHA-256 of the package file {@code file}, 64 lower-case hex digits, as a deployment
     * declares it.
     *
     * @throws PackageException when the file is not a regular file within the package size limit
     *                          or cannot be read
     */
    public static String sha256(Path file) {
        return FunctionPackage.sha256(file, file.toString(), PackageJar.Limits.DEFAULT.maxFileBytes());
    }

    /**
     * Hashes every local package file of {@code deployment} that has a declared {@code sha256}. A
     * file that is not there is left to loading: a gateway whose package store holds the declared
     * hash uses its copy (a rollback or resume after the user removed an old jar), any other host
     * refuses the deployment naming the missing file.
     *
     * @throws DeploymentException listing each package whose file differs from its hash or cannot
     *                             be read
     */
    public static void verify(Deployment deployment) {
        List<Problem> problems = new ArrayList<>();
        for (PackageRef ref : deployment.packages().values()) {
            if (ref.file() == null || ref.sha256() == null) {
                continue;
            }
            Path file = deployment.resolve(ref);
            if (!java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            String at = "packages." + ref.name() + ".sha256";
            try {
                String actual = FunctionPackage.sha256(file, ref.file(), PackageJar.Limits.DEFAULT.maxFileBytes());
                if (!actual.equals(ref.sha256())) {
                    problems.add(new Problem(at, 0, 0, "package file " + ref.file() + " has SHA-256 " + actual
                            + ", not the declared " + ref.sha256() + ": the file changed since the deployment was"
                            + " written (or signed); the whole deployment is refused"));
                }
            } catch (PackageException e) {
                problems.add(new Problem(at, 0, 0, e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new DeploymentException(deployment.origin(), problems);
        }
    }
}
