package io.edgefn.runtime;

import io.edgefn.testing.InMemoryCompiler;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds function package jars from Java source strings, the way a user's build does: javac with
 * Micronaut's and edgefn's annotation processors (found on the test class path), then a jar of the
 * classes and generated resources. Lets host tests use functions written for the test.
 */
final class TestPackages {

    private TestPackages() {
    }

    /** Compiles {@code sources} (class name → source) into {@code directory/name.jar}. */
    static Path build(Path directory, String name, Map<String, String> sources) {
        InMemoryCompiler.Result result = InMemoryCompiler.withClassPathProcessors().compile(sources);
        if (!result.success()) {
            throw new AssertionError("test package " + name + " did not compile: " + result.messages());
        }
        return result.writeJar(directory.resolve(name + ".jar"));
    }
}
