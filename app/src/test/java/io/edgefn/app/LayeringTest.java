package io.edgefn.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application uses the host as any embedding program would: through its public API, never
 * through another module's {@code internal} package. (The runtime's own LayeringTest checks the
 * library modules among themselves.)
 */
class LayeringTest {

    private static JavaClasses app;

    @BeforeAll
    static void importClasses() {
        app = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.edgefn");
    }

    @Test
    void app_usesNoModulesInternals() {
        noClasses().that().resideInAPackage("io.edgefn.app..")
                .should().dependOnClassesThat().resideInAPackage("io.edgefn..internal..")
                .check(app);
    }

    @Test
    void theHostLibrary_doesNotDependOnTheApp() {
        noClasses().that().resideOutsideOfPackage("io.edgefn.app..")
                .should().dependOnClassesThat().resideInAPackage("io.edgefn.app..")
                .check(app);
    }

    @Test
    void theHostLibrary_hasNoCommandLineAndNoLoggingBackend() {
        noClasses().that().resideInAPackage("io.edgefn.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "ch.qos.logback..")
                .check(app);
    }
}
