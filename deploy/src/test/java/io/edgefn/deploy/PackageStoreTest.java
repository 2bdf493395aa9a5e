package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class PackageStoreTest {

    @TempDir
    Path dir;

    private Path jar(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void put_storesTheJarUnderItsHash_andPathFindsIt() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("data/packages"));
        Path jar = jar("pump.jar", "pump bytes");

        String sha = store.put(jar);

        assertThat(sha).isEqualTo(FunctionPackageTest.sha256(jar));
        assertThat(store.path(sha)).isEqualTo(dir.resolve("data/packages/sha256/" + sha + ".jar"));
        assertThat(store.path(sha)).hasContent("pump bytes");
        assertThat(store.contains(sha)).isTrue();
        try (var files = Files.list(store.directory())) {
            assertThat(files).as("no temporary file is left behind").containsExactly(store.path(sha));
        }
    }

    @Test
    void put_sameBytesAgain_reusesTheEntryWithoutWritingIt() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("packages"));
        String sha = store.put(jar("a.jar", "same bytes"));
        Path entry = store.path(sha);
        var written = Files.getLastModifiedTime(entry);
        Files.setLastModifiedTime(entry, java.nio.file.attribute.FileTime.fromMillis(written.toMillis() - 60_000));
        var marked = Files.getLastModifiedTime(entry);

        assertThat(store.put(jar("b.jar", "same bytes"))).isEqualTo(sha);

        assertThat(Files.getLastModifiedTime(entry)).as("the entry was not rewritten").isEqualTo(marked);
    }

    @Test
    void put_userChangesTheFileLater_theStoredCopyStays() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("packages"));
        Path jar = jar("pump.jar", "version 1");
        String first = store.put(jar);

        Files.writeString(jar, "version 2");
        String second = store.put(jar);

        assertThat(second).isNotEqualTo(first);
        assertThat(store.path(first)).hasContent("version 1");
        assertThat(store.path(second)).hasContent("version 2");
    }

    @Test
    void put_hashDiffersFromTheExpected_isRefusedNamingBoth_andStoresNothing() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("packages"));
        Path jar = jar("pump.jar", "pump bytes");
        String actual = FunctionPackageTest.sha256(jar);
        String expected = "ab".repeat(32);

        assertThatThrownBy(() -> store.put(jar, "packages/pump.jar", expected))
                .isInstanceOf(PackageException.class)
                .hasMessage("package packages/pump.jar has SHA-256 " + actual + " but the deployment expects " + expected
                        + "; it is not the jar the deployment names");
        assertThat(store.path(actual)).doesNotExist();
    }

    @Test
    void put_expectedHashAlreadyStored_stillRefusesADifferentFile() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("packages"));
        String stored = store.put(jar("good.jar", "good"));

        assertThatThrownBy(() -> store.put(jar("changed.jar", "changed"), "changed.jar", stored))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("but the deployment expects " + stored);
    }

    @Test
    void contains_corruptEntry_isDetectedByHashing_removed_andStoredAgainByPut() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("packages"));
        Path jar = jar("pump.jar", "pump bytes");
        String sha = store.put(jar);
        Files.writeString(store.path(sha), "pump bytez"); // a flipped byte on the card

        assertThat(store.contains(sha)).isFalse();
        assertThat(store.path(sha)).doesNotExist();

        Files.writeString(store.path(sha), "pump bytez");
        assertThat(store.put(jar)).isEqualTo(sha);
        assertThat(store.path(sha)).hasContent("pump bytes");
    }

    @Test
    void prune_removesAllButTheKeptEntries_andLeftoverTemporaryFiles() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("packages"));
        String keep = store.put(jar("a.jar", "a"));
        String drop = store.put(jar("b.jar", "b"));
        Path leftover = Files.writeString(store.directory().resolve(".123.tmp"), "half a jar");
        Path foreign = Files.writeString(store.directory().resolve("README"), "not an entry");

        assertThat(store.prune(Set.of(keep.toUpperCase()))).containsExactly(drop);

        assertThat(store.path(keep)).exists();
        assertThat(store.path(drop)).doesNotExist();
        assertThat(leftover).doesNotExist();
        assertThat(foreign).exists();
    }

    @Test
    void path_notAHash_isRefused() {
        PackageStore store = PackageStore.open(dir.resolve("packages"));

        assertThatThrownBy(() -> store.path("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'../../etc/passwd' is not a SHA-256 (64 hex digits)");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void open_andPut_makeEverythingOwnerOnly() throws IOException {
        PackageStore store = PackageStore.open(dir.resolve("data/packages"));
        String sha = store.put(jar("pump.jar", "pump"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/packages"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path(sha)))).isEqualTo("rw-------");
    }

    @Test
    void put_notARegularFile_isRefusedAsBefore() {
        PackageStore store = PackageStore.open(dir.resolve("packages"));

        assertThatThrownBy(() -> store.put(dir, "packages/", null)).isInstanceOf(PackageException.class)
                .hasMessage("cannot read package packages/: it is a directory, not a regular file");
    }
}
