package io.edgefn.devices;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module's package rules, checked on the compiled classes. */
class LayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.edgefn.devices");

    @Test
    void spi_dependsOnNoDriver() {
        noClasses().that().resideInAPackage("io.edgefn.devices")
                .should().dependOnClassesThat().resideInAPackage("io.edgefn.devices.spherelink..")
                .check(MAIN);
    }

    @Test
    void sphereLink_exposesOnlyItsDocumentedPublicTypes() {
        Set<String> exported = Set.of("FrameCodec", "FrameCodec$Decoder", "FrameCodec$Sink", "Frame", "FrameType",
                "BadFrameReason", "RecentPairs", "FrameWatcher", "SphereLinkDriverFactory", "Payloads");
        classes().that().resideInAPackage("io.edgefn.devices.spherelink").and().arePublic()
                .should().haveNameMatching("io\\.edgefn\\.devices\\.spherelink\\.(" + String.join("|", exported)
                        .replace("$", "\\$") + ")")
                .check(MAIN);
    }

    @Test
    void internal_isUsedOnlyByTheSpi() {
        classes().that().resideInAPackage("io.edgefn.devices.internal")
                .should().onlyBeAccessed().byAnyPackage("io.edgefn.devices", "io.edgefn.devices.internal")
                .check(MAIN);
    }
}
