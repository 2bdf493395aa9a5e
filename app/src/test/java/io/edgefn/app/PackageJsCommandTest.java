package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.deploy.FunctionPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgefn package js DIR --out JAR}: a checked, deployable package, or every problem and exit 1. */
class PackageJsCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final StdoutCapture out = StdoutCapture.stdoutAndStderrPerTest();

    @Test
    void packageJs_goodAndBadDeclarations() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("echo.mjs"), """
                export const edgefn = {name: "echo", outputs: ["out"], triggers: [{route: "in", handler: "onIn", output: "out"}]};
                export function onIn(message, ctx) { return message.body; }
                """);
        Path jar = dir.resolve("echo.jar");
        assertThat(EdgefnCommand.execute("package", "js", scripts.toString(), "--out", jar.toString())).isZero();
        assertThat(out.out()).contains("function echo (js/echo.mjs): inputs [in], outputs [out], handlers [onIn]")
                .contains("wrote " + jar + " (sha256 " + FunctionPackage.open(jar, null).sha256() + ")");

        Files.writeString(scripts.resolve("bad.mjs"), """
                export const edgefn = {name: "bad", triggers: [{route: "in", handler: "missing"}, {timer: "soon", handler: "missing"}]};
                """);
        assertThat(EdgefnCommand.execute("package", "js", scripts.toString(), "--out", dir.resolve("bad.jar").toString()))
                .isEqualTo(1);
        assertThat(out.err()).contains("js/bad.mjs: the 'edgefn' declaration has 3 problems")
                .contains("edgefn.triggers[0].handler: the module exports no function 'missing'")
                .contains("edgefn.triggers[1].timer: fixedRate \"soon\" is not an ISO-8601 duration");
        assertThat(dir.resolve("bad.jar")).doesNotExist();
    }
}
