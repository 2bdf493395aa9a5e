package io.edgefn.app.cli;

import io.edgefn.deploy.FunctionPackage;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.edgefn.js.JsDeclaration;
import io.edgefn.js.JsEngine;
import io.edgefn.js.JsException;
import io.edgefn.js.JsPackager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgefn package}: builds and checks function packages. {@code js} packs a folder of
 * JavaScript function modules into a package jar; {@code check} runs the host's load-time checks
 * on a package jar on the author's machine.
 */
@Command(name = "package", mixinStandardHelpOptions = true,
        description = "Builds a function package from JavaScript sources, or checks a package jar as a gateway would.",
        subcommands = {PackageCommand.Js.class, PackageCommand.Check.class})
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

    /**
     * {@code edgefn package check JAR}: the checks a gateway runs when it loads a package
     * ({@link FunctionPackage#check}: size and entries, the function index and the classes or
     * scripts it names, no {@code Class-Path}, no call that could stop the host), and for
     * JavaScript functions the declaration each script makes, read in the sandbox and compared with
     * the index. Prints a summary and exits 0, or prints every problem and exits 1.
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Checks a function package jar exactly as a gateway checks it when it loads it: the function "
                    + "index, the classes and scripts it names, the manifest, and the bytecode scan (no System.exit, "
                    + "Runtime.halt, ...). JavaScript functions' declarations are read again in the sandbox.",
                    "Exit 0 with a summary (functions, runtime, sha256); exit 1 listing every problem."})
    static final class Check implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "JAR", description = "The package jar.")
        Path jar;

        @Override
        public Integer call() {
            FunctionPackage.Check check = FunctionPackage.check(jar);
            List<String> problems = new ArrayList<>(check.problems());
            FunctionIndex index = check.index();
            if (index != null && check.ok() && index.functions().stream().anyMatch(FunctionDescriptor::isJs)) {
                problems.addAll(jsProblems(index));
            }
            if (!problems.isEmpty()) {
                System.err.println("edgefn package check: " + jar + " would be refused by a gateway ("
                        + problems.size() + (problems.size() == 1 ? " problem):" : " problems):"));
                problems.forEach(p -> System.err.println("  - " + p.replace("\n", "\n    ")));
                return 1;
            }
            long js = index.functions().stream().filter(FunctionDescriptor::isJs).count();
            String runtime = js == 0 ? "java" : js == index.functions().size() ? "js" : "java and js";
            System.out.println("package " + jar + ": ok");
            System.out.println("  sha256 " + check.sha256());
            System.out.println("  runtime " + runtime + ", " + index.functions().size()
                    + (index.functions().size() == 1 ? " function:" : " functions:"));
            for (FunctionDescriptor f : index.functions()) {
                System.out.println("    " + f.name() + " (" + (f.isJs() ? "js " + f.source() : "java " + f.className())
                        + "): inputs " + f.inputs() + ", outputs " + f.outputs() + ", handlers "
                        + f.methods().stream().map(m -> m.name()).distinct().toList());
            }
            return 0;
        }

        /**
         * Each JavaScript function's script evaluated in the sandbox as the host does, its
         * declaration read and compared with what the index says of it.
         */
        private List<String> jsProblems(FunctionIndex index) {
            List<String> problems = new ArrayList<>();
            FunctionPackage pkg = FunctionPackage.open(jar, null);
            try (JsEngine engine = JsEngine.create(JsEngine.Options.defaults())) {
                for (FunctionDescriptor f : index.functions()) {
                    if (!f.isJs()) {
                        continue;
                    }
                    try {
                        FunctionDescriptor declared = JsDeclaration.read(engine, f.source(), pkg.script(f.source()));
                        if (!declared.equals(f)) {
                            problems.add("function '" + f.name() + "': its script " + f.source() + " declares something"
                                    + " else than the function index says (the jar was changed after it was packed;"
                                    + " pack it again with edgefn package js):\n  index:  " + f + "\n  script: " + declared);
                        }
                    } catch (JsException e) {
                        problems.add("function '" + f.name() + "': " + e.getMessage());
                    }
                }
            }
            return problems;
        }
    }
}
