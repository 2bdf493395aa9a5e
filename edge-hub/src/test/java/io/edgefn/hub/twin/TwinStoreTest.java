package io.edgefn.hub.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwinStoreTest {

    @TempDir
    Path dir;

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void patchReported_mergesDeletesWithNullAndCountsVersions() {
        TwinStore store = TwinStore.open(dir);
        TwinId id = TwinId.device("dev1");

        store.patchReported(id, json("{\"a\":1,\"nested\":{\"x\":1,\"y\":2}}"));
        TwinDocument twin = store.patchReported(id, json("{\"a\":null,\"nested\":{\"y\":3},\"b\":\"two\"}"));

        assertThat(twin.reportedVersion()).isEqualTo(2);
        assertThat(twin.reported().toString()).isEqualTo("{\"nested\":{\"x\":1,\"y\":3},\"b\":\"two\"}");
        assertThat(new String(twin.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"desired\":{\"$version\":0},\"reported\":{\"nested\":{\"x\":1,\"y\":3},\"b\":\"two\",\"$version\":2}}");
    }

    @Test
    void open_readsBackWhatWasWritten_ownerOnly() throws Exception {
        TwinStore store = TwinStore.open(dir);
        store.patchReported(TwinId.module("gw", "filter"), json("{\"rate\":5}"));
        store.applyDesired(TwinId.module("gw", "filter"), json("{\"rate\":7}"), 3);

        TwinDocument reread = TwinStore.open(dir).get(TwinId.module("gw", "filter"));

        assertThat(reread.reported().toString()).isEqualTo("{\"rate\":5}");
        assertThat(reread.desired().toString()).isEqualTo("{\"rate\":7}");
        assertThat(reread.desiredVersion()).isEqualTo(3);
        Path file = dir.resolve("twins").resolve("gw~filter.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("twins")))).isEqualTo("rwx------");
    }

    @Test
    void applyDesired_ignoresOlderAndDuplicateVersionsAndCountsThem() {
        TwinStore store = TwinStore.inMemory();
        TwinId id = TwinId.device("dev1");

        assertThat(store.applyDesired(id, json("{\"t\":1}"), 2)).isPresent();
        assertThat(store.applyDesired(id, json("{\"t\":0}"), 1)).isEmpty();
        assertThat(store.applyDesired(id, json("{\"t\":9}"), 2)).isEmpty();

        assertThat(store.get(id).desired().toString()).isEqualTo("{\"t\":1}");
        assertThat(store.staleDesiredPatches()).isEqualTo(2);
    }

    @Test
    void patchReported_malformedJson_refusedWith400AndTwinUnchanged() {
        TwinStore store = TwinStore.inMemory();
        TwinId id = TwinId.device("dev1");

        assertThatThrownBy(() -> store.patchReported(id, json("{\"a\":")))
                .isInstanceOfSatisfying(TwinException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> store.patchReported(id, json("[1,2]")))
                .isInstanceOfSatisfying(TwinException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> store.patchReported(id, json("{\"$version\":4}")))
                .isInstanceOfSatisfying(TwinException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("reserved");
        assertThat(store.get(id).reportedVersion()).isZero();
    }

    @Test
    void patchReported_overTheLimits_refusedWith413() {
        TwinStore store = TwinStore.inMemory();
        TwinId id = TwinId.device("dev1");
        String big = "x".repeat(TwinLimits.MAX_VALUE_BYTES);

        assertThatThrownBy(() -> store.patchReported(id, json("{\"v\":\"" + big + "\"}")))
                .isInstanceOfSatisfying(TwinException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("property 'v'");
        String fits = "y".repeat(4000);
        for (int i = 0; i < 8; i++) {
            store.patchReported(id, json("{\"p" + i + "\":\"" + fits + "\"}"));
        }
        assertThatThrownBy(() -> store.patchReported(id, json("{\"p8\":\"" + fits + "\"}")))
                .isInstanceOfSatisfying(TwinException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("over the limit of 32768 bytes");
        assertThat(store.get(id).reportedVersion()).isEqualTo(8);
    }

    @Test
    void fileName_roundTripsIdsWithPathCharacters() {
        TwinId id = TwinId.module("a.b~c", "..");
        assertThat(TwinStore.idOf(TwinStore.fileName(id).replace(".json", ""))).isEqualTo(id);
        assertThat(TwinStore.fileName(id)).doesNotContain("/");
    }
}
