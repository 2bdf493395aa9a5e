package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment and package files that are not what they claim: a FIFO (which blocks whoever opens
 * it), {@code /dev/zero} (which never ends), a directory, a file over the limit. Each is refused
 * at once with what it is. The timeouts only turn the hang these tests guard against into a
 * failure instead of a stuck build; nothing here is timed.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FileInputsTest {

    private static final Path DEV_ZERO = Path.of("/dev/zero");

    @TempDir
    Path dir;

    private Path fifo(String name) throws IOException, InterruptedException {
        Path fifo = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        String output = new String(mkfifo.getInputStream().readAllBytes());
        assertThat(mkfifo.waitFor()).as("mkfifo: %s", output).isZero();
        return fifo;
    }

    @Test
    void read_deploymentThatIsAFifo_isRefusedWithoutOpeningIt() throws Exception {
        Path fifo = fifo("deploy.json");

        assertThatThrownBy(() -> Deployment.read(fifo))
                .isInstanceOf(DeploymentException.class)
                .hasMessage("deployment " + fifo + " is invalid (1 problem):\n  " + fifo
                        + ": cannot read the deployment file: it is a FIFO (named pipe), not a regular file");
    }

    @Test
    void read_deploymentThatIsADirectory_saysSo() {
        assertThatThrownBy(() -> Deployment.read(dir))
                .isInstanceOf(DeploymentException.class)
                .hasMessageEndingWith(": cannot read the deployment file: it is a directory, not a regular file");
    }

    @Test
    void read_deploymentThatIsADevice_saysSo() {
        assertThatThrownBy(() -> Deployment.read(DEV_ZERO))
                .isInstanceOf(DeploymentException.class)
                .hasMessageEndingWith("/dev/zero: cannot read the deployment file: it is a character device, not a regular file");
    }

    @Test
    void read_deploymentLargerThanTheLimit_isRefusedUnread() throws IOException {
        Path big = dir.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(Deployment.MAX_DOCUMENT_BYTES + 1L); // sparse: nothing is written
        }

        assertThatThrownBy(() -> Deployment.read(big))
                .isInstanceOf(DeploymentException.class)
                .hasMessageEndingWith(": cannot read the deployment file: it is 4194305 bytes, more than the limit of"
                        + " 4194304 bytes (4 MiB)");
    }

    @Test
    void open_packageThatIsAFifo_isRefusedWithoutOpeningIt() throws Exception {
        Path fifo = fifo("pump.jar");

        assertThatThrownBy(() -> FunctionPackage.open(fifo, null))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot read package " + fifo.toAbsolutePath() + ": it is a FIFO (named pipe), not a regular file");
        assertThatThrownBy(() -> BytecodeScanner.scan(fifo))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot read " + fifo + ": it is a FIFO (named pipe), not a regular file");
    }

    @Test
    void open_packageThatIsDevZero_isRefusedWithoutReadingIt() {
        assertThatThrownBy(() -> FunctionPackage.open(DEV_ZERO, null))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot read package /dev/zero: it is a character device, not a regular file");
    }

    @Test
    void open_packageLargerThanTheLimit_isRefusedUnread() throws IOException {
        Path big = dir.resolve("big.jar");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(FunctionPackage.MAX_JAR_BYTES + 1);
        }

        assertThatThrownBy(() -> FunctionPackage.open(big, null))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot read package " + big.toAbsolutePath() + ": it is 268435457 bytes, more than the limit"
                        + " of 268435456 bytes (256 MiB)");
    }

    @Test
    void stage_devZeroOrAFifo_isRefusedAndLeavesNoCopy() throws Exception {
        Path fifo = fifo("pump.jar");
        Path staged = Files.createDirectories(dir.resolve("packages")).resolve("pump.jar");

        assertThatThrownBy(() -> FunctionPackage.stage(DEV_ZERO, staged))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot read package /dev/zero: it is a character device, not a regular file");
        assertThatThrownBy(() -> FunctionPackage.stage(fifo, staged))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot read package " + fifo + ": it is a FIFO (named pipe), not a regular file");
        assertThat(staged).doesNotExist();
    }

    @Test
    void stage_regularJar_copiesIt() throws IOException {
        Path jar = FunctionPackageTest.packageJar(dir.resolve("echo.jar"), FunctionPackageTest.ECHO, FunctionPackageTest.INDEX);
        Path staged = Files.createDirectories(dir.resolve("packages")).resolve("echo.jar");
        Files.writeString(staged, "an older copy");

        assertThat(FunctionPackage.stage(jar, staged)).isEqualTo(staged);
        assertThat(staged).hasSameBinaryContentAs(jar);
    }
}
