package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Package files that are not jars on disk, as {@code edgefn run} (which stages a copy into the
 * data directory) and {@code edgefn route-check --deployment} (which checks in place) meet them:
 * {@code /dev/zero} used to fill the data directory's disk, a FIFO used to hang both. The timeout
 * only turns such a hang into a failure; nothing here is timed.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeploymentPlanFilesTest {

    @TempDir
    Path dir;

    private Deployment deployment(Path packageFile) {
        String json = "{\"packages\": {\"pump\": {\"file\": \"" + packageFile + "\"}}, \"routes\": {}}";
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "test deployment", dir);
    }

    private Path fifo() throws IOException, InterruptedException {
        Path fifo = dir.resolve("pump.jar");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        String output = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mkfifo.waitFor()).as("mkfifo: %s", output).isZero();
        return fifo;
    }

    @Test
    void inspect_stagingDevZero_isRefusedBeforeAnythingIsCopied() {
        Path staging = dir.resolve("data/packages");

        assertThatThrownBy(() -> DeploymentPlan.inspect(deployment(Path.of("/dev/zero")), staging))
                .isInstanceOf(HostException.class)
                .hasMessage("deployment test deployment cannot be loaded:\n  - packages.pump.file: cannot read package"
                        + " /dev/zero: it is a character device, not a regular file");
        assertThat(staging.resolve("pump.jar")).doesNotExist();
    }

    @Test
    void inspect_stagingAFifo_isRefusedWithoutBlocking() throws Exception {
        Path fifo = fifo();
        Path staging = dir.resolve("data/packages");

        assertThatThrownBy(() -> DeploymentPlan.inspect(deployment(fifo), staging))
                .isInstanceOf(HostException.class)
                .hasMessageEndingWith("packages.pump.file: cannot read package " + fifo
                        + ": it is a FIFO (named pipe), not a regular file");
        assertThat(staging.resolve("pump.jar")).doesNotExist();
    }

    @Test
    void inspect_missingPackage_namesTheKeyAndTheFileAsWritten_inPlaceAndStagedAlike() {
        String json = "{\"packages\": {\"pump\": {\"file\": \"packages/pump.jar\"}}, \"routes\": {}}";
        Deployment missing = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "test deployment", dir);
        String expected = "deployment test deployment cannot be loaded:\n  - packages.pump.file: cannot read package"
                + " packages/pump.jar (" + dir.resolve("packages/pump.jar") + "): there is no such file";

        assertThatThrownBy(() -> DeploymentPlan.inspect(missing)).hasMessage(expected);
        assertThatThrownBy(() -> DeploymentPlan.inspect(missing, dir.resolve("data/packages"))).hasMessage(expected);
    }

    @Test
    void checkRoutes_packageFileThatIsAFifoOrDevZero_isRefusedWithoutBlocking() throws Exception {
        Path fifo = fifo();

        assertThatThrownBy(() -> EdgeHost.checkRoutes(deployment(fifo)))
                .isInstanceOf(HostException.class)
                .hasMessageEndingWith("packages.pump.file: cannot read package " + fifo
                        + ": it is a FIFO (named pipe), not a regular file");
        assertThatThrownBy(() -> EdgeHost.checkRoutes(deployment(Path.of("/dev/zero"))))
                .isInstanceOf(HostException.class)
                .hasMessageEndingWith("packages.pump.file: cannot read package /dev/zero: it is a character device, not a"
                        + " regular file");
    }
}
