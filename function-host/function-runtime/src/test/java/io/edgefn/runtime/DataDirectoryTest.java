package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's management token: made once, owner-only, the same across restarts. */
class DataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void managementToken_onFirstStart_isMadeOwnerOnly() throws Exception {
        String token;
        try (DataDirectory data = DataDirectory.lock(dir)) {
            token = data.managementToken();
        }

        Path file = dir.resolve(DataDirectory.MANAGEMENT_TOKEN_FILE);
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(Files.readString(file).trim()).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("lock", DataDirectory.MANAGEMENT_TOKEN_FILE);
        }
    }

    @Test
    void managementToken_acrossRestarts_isTheSame() {
        String first;
        try (DataDirectory data = DataDirectory.lock(dir)) {
            first = data.managementToken();
            assertThat(data.managementToken()).isEqualTo(first);
        }
        try (DataDirectory again = DataDirectory.lock(dir)) {
            assertThat(again.managementToken()).isEqualTo(first);
        }
    }

    @Test
    void managementToken_inAFileOthersCanRead_isKeptAndNarrowedToTheOwner() throws Exception {
        Path file = dir.resolve(DataDirectory.MANAGEMENT_TOKEN_FILE);
        String own = "an-operators-own-token-of-40-characters-";
        Files.writeString(file, own + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        try (DataDirectory data = DataDirectory.lock(dir)) {
            assertThat(data.managementToken()).isEqualTo(own);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void managementToken_inAFileThatHoldsNoToken_isMadeAfresh() throws Exception {
        Path file = dir.resolve(DataDirectory.MANAGEMENT_TOKEN_FILE);
        Files.writeString(file, "short\n");

        try (DataDirectory data = DataDirectory.lock(dir)) {
            String token = data.managementToken();
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            assertThat(Files.readString(file).trim()).isEqualTo(token);
        }
    }
}
