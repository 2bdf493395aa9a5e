package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM and the project template repeat versions of edgefn's root pom (the BOM has no parent on
 * purpose, and the template must name plugins an offline machine has because edgefn's build used
 * them); this fails the build the moment one drifts.
 */
class BomVersionsTest {

    private static String read(String path) throws IOException {
        return Files.readString(Path.of("..").resolve(path));
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        assertThat(m.find()).as("property %s", name).isTrue();
        return m.group(1).trim();
    }

    @Test
    void bom_managesTheLibraryVersionsTheHostRuns() throws IOException {
        String root = read("pom.xml");
        String bom = read("edgefn-bom/pom.xml");
        for (String p : new String[] {"jackson.version", "micronaut.version", "junit.version", "slf4j.version"}) {
            assertThat(property(bom, p)).as(p).isEqualTo(property(root, p));
        }
        assertThat(bom).contains("<artifactId>edgefn-bom</artifactId>\n  <version>" + property(root, "version") + "</version>");
    }

    @Test
    void template_namesThePluginVersionsEdgefnBuildsWith() throws IOException {
        String root = read("pom.xml");
        String template = read("edgefn-archetype/src/main/resources/archetype-resources/pom.xml");
        assertThat(template)
                .contains("<artifactId>maven-compiler-plugin</artifactId>\n        <version>" + property(root, "compiler-plugin.version"))
                .contains("<artifactId>maven-surefire-plugin</artifactId>\n        <version>" + property(root, "surefire.version"))
                .contains("<artifactId>maven-jar-plugin</artifactId>\n        <version>" + property(root, "jar-plugin.version"))
                .contains("<project.build.outputTimestamp>" + property(root, "project.build.outputTimestamp"));
    }
}
