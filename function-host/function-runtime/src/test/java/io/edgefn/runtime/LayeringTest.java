package io.edgefn.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: the API and the buffer depend on nothing of ours, the modules in
 * between never reach into the runtime or into each other's internals, and only the runtime
 * depends on everything. Maven's module graph enforces most of it; this test catches a package
 * reaching across the layering inside what the graph allows.
 */
class LayeringTest {

    private static JavaClasses edgefn;

    @BeforeAll
    static void importClasses() {
        edgefn = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.edgefn");
    }

    @Test
    void api_dependsOnTheJdkOnly() {
        classes().that().resideInAPackage("io.edgefn.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.edgefn.api..", "java..")
                .check(edgefn);
    }

    @Test
    void offlineBuffer_dependsOnTheJdkOnly() {
        classes().that().resideInAPackage("io.edgefn.buffer..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.edgefn.buffer..", "java..")
                .check(edgefn);
    }

    @Test
    void functionIndex_dependsOnJacksonAndTheJdkOnly() {
        // The processor runs it inside javac: nothing of ours may come with it.
        classes().that().resideInAPackage("io.edgefn.index..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.edgefn.index..", "java..",
                        "com.fasterxml.jackson..")
                .check(edgefn);
    }

    @Test
    void nothingButTheRuntimeDependsOnTheRuntime() {
        noClasses().that().resideOutsideOfPackage("io.edgefn.runtime..")
                .should().dependOnClassesThat().resideInAPackage("io.edgefn.runtime..")
                .check(edgefn);
    }

    @Test
    void middleModules_doNotReachIntoEachOther() {
        noClasses().that().resideInAPackage("io.edgefn.routes..")
                .should().dependOnClassesThat().resideInAnyPackage("io.edgefn.buffer..", "io.edgefn.devices..",
                        "io.edgefn.deploy..", "io.edgefn.bindings..", "io.edgefn.triggers..")
                .check(edgefn);
        noClasses().that().resideInAPackage("io.edgefn.devices..")
                .should().dependOnClassesThat().resideInAnyPackage("io.edgefn.buffer..", "io.edgefn.routes..",
                        "io.edgefn.deploy..", "io.edgefn.bindings..", "io.edgefn.triggers..")
                .check(edgefn);
        noClasses().that().resideInAPackage("io.edgefn.deploy..")
                .should().dependOnClassesThat().resideInAnyPackage("io.edgefn.buffer..", "io.edgefn.routes..",
                        "io.edgefn.devices..", "io.edgefn.bindings..")
                .check(edgefn);
    }

    @Test
    void internalPackages_areUsedOnlyInsideTheirModule() {
        for (String module : new String[] {"routes", "buffer", "devices", "deploy", "index", "runtime"}) {
            noClasses().that().resideOutsideOfPackage("io.edgefn." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage("io.edgefn." + module + ".internal..")
                    .check(edgefn);
        }
    }

    @Test
    void examples_useOnlyTheApiAndProvidedLibraries() {
        Path examples = Path.of("../../functions-examples/target/classes");
        Path load = Path.of("../../functions-examples/load/target/classes");
        for (Path p : new Path[] {examples, load}) {
            if (!Files.isDirectory(p)) {
                throw new AssertionError("build the example packages first: " + p.toAbsolutePath() + " is missing");
            }
        }
        JavaClasses classes = new ClassFileImporter().importPaths(examples, load);
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.edgefn.examples..", "io.edgefn.api..", "java..", "com.fasterxml.jackson..",
                        "io.micronaut..", "jakarta.inject..")
                .check(classes);
    }
}
