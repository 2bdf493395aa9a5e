package io.edgefn.app.cli;

import io.edgefn.deploy.FunctionPackage;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.edgefn.js.JsEngine;
import io.edgefn.js.JsException;
import io.edgefn.js.JsPackager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgefn package}: builds function packages that do not come out of a Maven build. Its one
 * subcommand, {@code js}, packs a folder of JavaScript function modules into a package jar.
 */
@Command(name = "package", mixinStandardHelpOptions = true,
        description = "Builds a function package from sources that are not Java.",
        subcommands = {PackageCommand.Js.class})
final class PackageCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code edgefn package js DIR --out JAR}: reads each module's {@code edgefn} declaration in the
     * JavaScript sandbox (its top level runs; no handler does), checks it as the annotation
     * processor checks a Java function, and writes the jar — the scripts and the function index —
     * reproducibly; then opens it as the host would ({@link FunctionPackage#open}).
     */
    @Command(name = "js", mixinStandardHelpOptions = true,
            description = {"Packs a folder of JavaScript function modules (*.js, *.mjs; each exports an `edgefn` "
                    + "declaration and its handlers) into a function package jar.",
                    "Every declaration is checked (names, outputs, triggers, handlers); exit 1 listing every problem."})
    static final class Js implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "DIR", description = "The folder of modules.")
        Path folder;

        @Option(names = "--out", required = true, paramLabel = "JAR", description = "The package jar to write (replaced).")
        Path out;

        @Override
        public Integer call() {
            FunctionIndex index;
            try (JsEngine engine = JsEngine.create(JsEngine.Options.defaults())) {
                index = JsPackager.pack(engine, folder, out);
            } catch (JsException e) {
                System.err.println("edgefn package js: " + e.getMessage());
                return 1;
            }
            FunctionPackage checked = FunctionPackage.open(out, null);
            for (FunctionDescriptor f : index.functions()) {
                System.out.println("function " + f.name() + " (" + f.source() + "): inputs " + f.inputs() + ", outputs "
                        + f.outputs() + ", handlers " + f.methods().stream().map(m -> m.name()).toList());
            }
            System.out.println("wrote " + out + " (sha256 " + checked.sha256() + ")");
            return 0;
        }
    }
}
