package io.edgefn.app.sdk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * edgefn's project template: generates a function project from the archetype jar
 * ({@code edgefn-archetype}) the way {@code mvn archetype:generate} does, without needing the
 * archetype plugin (which an offline machine may not have).
 *
 * <p>It follows the jar's {@code META-INF/maven/archetype-metadata.xml}: the root
 * {@code archetype-resources/pom.xml}, then each file set's files — those marked
 * {@code packaged} placed under the package's directory, those marked {@code filtered} with the
 * archetype's properties substituted. Only the plain {@code ${name}} references of the four
 * properties (and {@code packageInPathFormat}) are substituted; the template holds no Velocity
 * directives, so Velocity (the archetype plugin's engine) and this produce the same files — every
 * other {@code ${…}} and {@code $name} is left as written, as Velocity leaves references it does
 * not know.
 */
public final class ProjectTemplate {

    private static final String METADATA = "META-INF/maven/archetype-metadata.xml";
    private static final String RESOURCES = "archetype-resources/";
    private static final Pattern PACKAGE = Pattern.compile("[a-zA-Z_$][a-zA-Z0-9_$]*(\\.[a-zA-Z_$][a-zA-Z0-9_$]*)*");
    private static final Pattern ARTIFACT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private record FileSet(String directory, boolean filtered, boolean packaged, List<PathMatcher> includes) {
        boolean matches(String path) {
            if (!directory.isEmpty() && !path.startsWith(directory + "/")) {
                return false;
            }
            String rest = directory.isEmpty() ? path : path.substring(directory.length() + 1);
            return includes.isEmpty() || includes.stream().anyMatch(m -> m.matches(Path.of(rest)));
        }
    }

    private final Path jar;

    private ProjectTemplate(Path jar) {
        this.jar = jar;
    }

    /** The template in the archetype jar {@code jar}. */
    public static ProjectTemplate in(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the project template " + jar + " is not built; run ./edgefn (it builds what"
                    + " is missing), or mvn package -DskipTests -pl app -am");
        }
        return new ProjectTemplate(jar);
    }

    /**
     * The archetype properties for a project in {@code dir}: its artifact id is the directory's
     * name, its group the package.
     *
     * @param javaPackage the sample's Java package, e.g. {@code com.example.fns}
     * @throws IllegalArgumentException when the package or the directory's name is not usable
     */
    public static Map<String, String> properties(Path dir, String javaPackage) {
        if (!PACKAGE.matcher(javaPackage).matches()) {
            throw new IllegalArgumentException("--package " + javaPackage + " is not a Java package name such as com.example.fns");
        }
        String artifactId = dir.toAbsolutePath().normalize().getFileName().toString();
        if (!ARTIFACT_ID.matcher(artifactId).matches()) {
            throw new IllegalArgumentException("the directory name '" + artifactId + "' is not usable as a Maven artifactId"
                    + " (letters, digits, '-', '_' and '.'); choose another directory");
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("groupId", javaPackage);
        p.put("artifactId", artifactId);
        p.put("version", "1.0.0-SNAPSHOT");
        p.put("package", javaPackage);
        return p;
    }

    /**
     * Generates the project into {@code dir}, which must not exist or be empty.
     *
     * @param properties {@code groupId}, {@code artifactId}, {@code version} and {@code package}
     * @return the files written, relative to {@code dir}, in the jar's order
     * @throws IllegalStateException when {@code dir} holds files, or the jar is not a template
     * @throws IOException           when the jar cannot be read or a file not written
     */
    public List<Path> generate(Path dir, Map<String, String> properties) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(dir + " already exists and is not empty; give a new directory");
                }
            }
        } else if (Files.exists(dir)) {
            throw new IllegalStateException(dir + " exists and is not a directory; give a new directory");
        }
        Map<String, String> values = new LinkedHashMap<>(properties);
        for (String key : List.of("groupId", "artifactId", "version", "package")) {
            if (values.get(key) == null) {
                throw new IllegalArgumentException("the project template needs the property " + key);
            }
        }
        values.put("packageInPathFormat", values.get("package").replace('.', '/'));
        List<Path> written = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<FileSet> fileSets = fileSets(zip);
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.isDirectory() || !entry.getName().startsWith(RESOURCES)) {
                    continue;
                }
                String path = entry.getName().substring(RESOURCES.length());
                Path target;
                boolean filtered;
                if (path.equals("pom.xml")) {
                    target = Path.of("pom.xml");
                    filtered = true;
                } else {
                    FileSet set = fileSets.stream().filter(f -> f.matches(path)).findFirst().orElse(null);
                    if (set == null) {
                        continue; // as the archetype plugin: a file no file set names is not generated
                    }
                    target = set.packaged() && !set.directory().isEmpty()
                            ? Path.of(set.directory(), values.get("packageInPathFormat"), path.substring(set.directory().length() + 1))
                            : Path.of(path);
                    filtered = set.filtered();
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (filtered) {
                    bytes = substitute(new String(bytes, StandardCharsets.UTF_8), values).getBytes(StandardCharsets.UTF_8);
                }
                Path file = dir.resolve(target);
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
                written.add(target);
            }
        }
        return written;
    }

    private static String substitute(String text, Map<String, String> values) {
        String result = text;
        for (Map.Entry<String, String> v : values.entrySet()) {
            result = result.replace("${" + v.getKey() + "}", v.getValue());
        }
        return result;
    }

    private List<FileSet> fileSets(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(METADATA);
        if (entry == null) {
            throw new IllegalStateException(jar + " is not a project template: it has no " + METADATA);
        }
        Document doc;
        try (InputStream in = zip.getInputStream(entry)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(in.readAllBytes()));
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalStateException(jar + "!" + METADATA + " cannot be read: " + e.getMessage(), e);
        }
        List<FileSet> sets = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("fileSet");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element set = (Element) nodes.item(i);
            String directory = text(set, "directory");
            List<PathMatcher> includes = new ArrayList<>();
            NodeList includeNodes = set.getElementsByTagName("include");
            for (int j = 0; j < includeNodes.getLength(); j++) {
                String pattern = includeNodes.item(j).getTextContent().trim();
                // Ant's "**/*.java" also matches "X.java" at the top; a glob's "**/" needs a directory.
                includes.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
                if (pattern.startsWith("**/")) {
                    includes.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
                }
            }
            sets.add(new FileSet(directory.replaceAll("/+$", ""), Boolean.parseBoolean(set.getAttribute("filtered")),
                    Boolean.parseBoolean(set.getAttribute("packaged")), includes));
        }
        return sets;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }
}
