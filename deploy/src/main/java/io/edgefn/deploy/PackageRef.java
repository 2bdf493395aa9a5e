package io.edgefn.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function package named by a deployment: where its jar is, how to check it, and its settings.
 *
 * <p>Exactly one of {@code file} and {@code url} is set. A relative {@code file} resolves against
 * the deployment's {@linkplain Deployment#baseDirectory() base directory}
 * ({@link Deployment#resolve(PackageRef)}).
 *
 * @param name      the package's name, its key under {@code packages}
 * @param file      the jar's path as written, or {@code null} when the package is fetched by URL
 * @param url       the jar's URL, or {@code null} when it is a local file
 * @param sha256    the jar's expected SHA-256 as 64 lower-case hex digits, or {@code null} when not
 *                  given (always given with a URL)
 * @param settings  the package's settings, an object (empty when not given); a copy is returned
 * @param ca        for a {@code url} package, the certificate authorities its HTTPS server may be
 *                  signed by besides the system's: a PEM file (relative to the deployment's base
 *                  directory) or the PEM text itself; {@code null} when not given
 */
public record PackageRef(String name, String file, String url, String sha256,
        JsonNode settings, String ca) {

    /** A package without a {@code ca} of its own. */
    public PackageRef(String name, String file, String url, String sha256, JsonNode settings) {
        this(name, file, url, sha256, settings, null);
    }

    /** Copies {@code settings}, so that the record stays immutable. */
    public PackageRef {
        settings = settings.deepCopy();
    }

    /** A copy of the package's settings, an object. */
    @Override
    public JsonNode settings() {
        return settings.deepCopy();
    }
}
