package io.edgefn.app.sdk;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installs edgefn's SDK — the API, the processor, the test kit, the BOM, the project template
 * and the edgefn artifacts they depend on — into a Maven local repository, from the jars an
 * edgefn build left in each module's {@code target/}.
 *
 * <p>Why copy files rather than run {@code mvn install}: the files are the ones the launcher's
 * build just made (byte for byte: the build is reproducible), copying needs no Maven plugin —
 * so it works offline into any repository, also a new empty one given with {@code --repository},
 * where Maven would first need its install plugin there — and it takes milliseconds. The local
 * repository's layout is Maven's stable format: {@code group/artifact/version/artifact-version.ext}
 * plus {@code maven-metadata-local.xml}; files without a {@code _remote.repositories} beside
 * them count as installed locally, as {@code mvn install} leaves them.
 *
 * <p>Each file is written to a temporary name and moved into place, so a reader never sees half
 * a jar. Not for concurrent use on one repository.
 */
public final class SdkInstaller {

    /** The group of every edgefn artifact. */
    public static final String GROUP_ID = "io.edgefn";

    /**
     * One artifact of the SDK: the module it is built in, relative to edgefn's root, and how it
     * is packaged ({@code jar} or {@code pom}).
     *
     * @param module     the module's directory ({@code ""} for the root pom)
     * @param artifactId its artifact id
     * @param packaging  {@code jar} or {@code pom}
     */
    public record Artifact(String module, String artifactId, String packaging) {
    }

    /** What {@code sdk install} installs: what a function project's build resolves, and no more. */
    public static final List<Artifact> ARTIFACTS = List.of(
            new Artifact("", "edgefn-parent", "pom"),
            new Artifact("function-api", "edgefn-api", "jar"),
            new Artifact("function-index", "edgefn-function-index", "jar"),
            new Artifact("triggers", "edgefn-triggers", "jar"),
            new Artifact("bindings", "edgefn-bindings", "jar"),
            new Artifact("function-processor", "edgefn-processor", "jar"),
            new Artifact("function-testkit", "edgefn-test", "jar"),
            new Artifact("edgefn-bom", "edgefn-bom", "pom"),
            new Artifact("edgefn-archetype", "edgefn-archetype", "jar"));

    private static final Pattern VERSION = Pattern.compile(
            "<artifactId>edgefn-parent</artifactId>\\s*<version>([^<]+)</version>");

    private final Path home;
    private final String version;

    private SdkInstaller(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    /**
     * An installer of the SDK built in the edgefn checkout {@code home}.
     *
     * @throws IllegalStateException when {@code home} has no edgefn root pom
     */
    public static SdkInstaller of(Path home) {
        Path rootPom = home.resolve("pom.xml");
        String pom;
        try {
            pom = Files.readString(rootPom);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read edgefn's root pom " + rootPom + ": " + e.getMessage(), e);
        }
        Matcher m = VERSION.matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException(rootPom + " is not edgefn's root pom: it declares no edgefn-parent version");
        }
        return new SdkInstaller(home, m.group(1).trim());
    }

    /** The default local repository, as Maven's: {@code ~/.m2/repository}. */
    public static Path defaultRepository() {
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The edgefn version being installed. */
    public String version() {
        return version;
    }

    /** The built archetype jar, {@code edgefn-archetype/target/edgefn-archetype-VERSION.jar}. */
    public Path archetypeJar() {
        return built(ARTIFACTS.stream().filter(a -> a.artifactId().equals("edgefn-archetype")).findFirst().orElseThrow());
    }

    /**
     * Checks every artifact is built, then installs each into {@code repository} (created when
     * missing).
     *
     * @return the files written, in order
     * @throws IllegalStateException when an artifact is not built, naming it and how to build it
     * @throws IOException           when the repository cannot be written
     */
    public List<Path> install(Path repository) throws IOException {
        List<String> missing = new ArrayList<>();
        for (Artifact a : ARTIFACTS) {
            if (!Files.isRegularFile(built(a))) {
                missing.add(home.relativize(built(a)).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("edgefn's SDK is not built in " + home + ": missing " + String.join(", ", missing)
                    + "; run ./edgefn (it builds what is missing), or mvn package -DskipTests -pl app -am");
        }
        List<Path> written = new ArrayList<>();
        for (Artifact a : ARTIFACTS) {
            Path dir = repository.resolve(GROUP_ID.replace('.', '/')).resolve(a.artifactId()).resolve(version);
            Files.createDirectories(dir);
            String base = a.artifactId() + "-" + version;
            written.add(copy(home.resolve(a.module()).resolve("pom.xml"), dir.resolve(base + ".pom")));
            if (a.packaging().equals("jar")) {
                written.add(copy(built(a), dir.resolve(base + ".jar")));
            }
            written.add(write(dir.getParent().resolve("maven-metadata-local.xml"), artifactMetadata(a, dir.getParent())));
        }
        return written;
    }

    private Path built(Artifact a) {
        Path module = home.resolve(a.module());
        return a.packaging().equals("pom") ? module.resolve("pom.xml")
                : module.resolve("target").resolve(a.artifactId() + "-" + version + ".jar");
    }

    /** The artifact-level metadata, listing the versions already there and this one. */
    private String artifactMetadata(Artifact a, Path artifactDir) throws IOException {
        TreeSet<String> versions = new TreeSet<>();
        versions.add(version);
        Path existing = artifactDir.resolve("maven-metadata-local.xml");
        if (Files.isRegularFile(existing)) {
            Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(existing));
            while (m.find()) {
                versions.add(m.group(1).trim());
            }
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n")
                .append("  <groupId>").append(GROUP_ID).append("</groupId>\n")
                .append("  <artifactId>").append(a.artifactId()).append("</artifactId>\n")
                .append("  <versioning>\n    <versions>\n");
        versions.forEach(v -> xml.append("      <version>").append(v).append("</version>\n"));
        xml.append("    </versions>\n    <lastUpdated>")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")))
                .append("</lastUpdated>\n  </versioning>\n</metadata>\n");
        return xml.toString();
    }

    private static Path copy(Path from, Path to) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".part");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        return moveIntoPlace(temp, to);
    }

    private static Path write(Path to, String text) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".part");
        Files.writeString(temp, text);
        return moveIntoPlace(temp, to);
    }

    private static Path moveIntoPlace(Path temp, Path to) throws IOException {
        try {
            Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }
}
