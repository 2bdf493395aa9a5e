package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.runtime.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgefn token --function NAME}: makes a function's HTTP token on first need, then prints the same one. */
class TokenCommandTest {

    @TempDir
    Path dir;

    private String token(String function) {
        try (StdoutCapture capture = StdoutCapture.stdoutAndStderr()) {
            int status = EdgefnCommand.execute("token", "--function", function, "--data-dir", dir.toString());
            assertThat(status).as("exit status; stderr: %s", capture.err()).isZero();
            return capture.out().trim();
        }
    }

    @Test
    void token_makesItOwnerOnlyOnFirstNeed_andPrintsTheSameOneAfter() throws Exception {
        String first = token("pump-monitor");

        assertThat(first).matches("[A-Za-z0-9_-]{43}");
        assertThat(token("pump-monitor")).isEqualTo(first);
        assertThat(token("other")).isNotEqualTo(first);
        Path file = DataDirectory.functionTokenFile(dir, "pump-monitor");
        assertThat(Files.readString(file).trim()).isEqualTo(first);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(dir.resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).doesNotExist();
    }

    @Test
    void token_notAFunctionName_failsWithTheReason() {
        try (StdoutCapture capture = StdoutCapture.stdoutAndStderr()) {
            int status = EdgefnCommand.execute("token", "--function", "../etc", "--data-dir", dir.toString());

            assertThat(status).isEqualTo(1);
            assertThat(capture.err()).contains("'../etc' is not a function name");
        }
    }
}
