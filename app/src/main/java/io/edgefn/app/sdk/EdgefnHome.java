package io.edgefn.app.sdk;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where edgefn's own checkout is: the launcher passes it as {@code -Dedgefn.home}; without it
 * (tests, an IDE) the working directory or one of its parents that holds edgefn's root pom.
 */
public final class EdgefnHome {

    private EdgefnHome() {
    }

    /**
     * The edgefn checkout this process runs from.
     *
     * @throws IllegalStateException when neither {@code -Dedgefn.home} nor the working directory
     *                               leads to one
     */
    public static Path find() {
        String property = System.getProperty("edgefn.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("edgefn-archetype/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot tell where edgefn is: run this through the ./edgefn launcher,"
                + " which passes -Dedgefn.home, or from inside the edgefn checkout");
    }
}
