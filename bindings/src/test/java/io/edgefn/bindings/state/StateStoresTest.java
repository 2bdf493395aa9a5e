package io.edgefn.bindings.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.State;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State stores on real files with fsync: what a put makes durable survives a reopen (with or
 * without close, as after a kill), a torn tail is cut off, damage is refused with a clear error,
 * compaction keeps the file small, concurrent writers lose nothing, and the cache never serves a
 * value older than the file.
 */
class StateStoresTest {

    record Baseline(double mean, double variance, long learned) {
    }

    /** A mutable value, to show the cache is not aliased to what a caller put. */
    public static final class Counter {
        public long count;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private StateStores stores() {
        return stores(StateLimits.DEFAULTS);
    }

    private StateStores stores(StateLimits limits) {
        return StateStores.durable("detector", dir, MAPPER, limits);
    }

    private Path log(String store) {
        return dir.resolve(store + ".log");
    }

    @Test
    void put_isDurable_andSurvivesReopening() {
        try (StateStores stores = stores()) {
            State<Baseline> state = stores.open("baselines", Baseline.class);
            state.put("pump-01", new Baseline(85.2, 0.16, 40));
            state.put("pump-02", new Baseline(90.0, 0.2, 12));
            assertThat(state.remove("pump-02")).isTrue();
            assertThat(state.remove("pump-02")).isFalse();
        }
        try (StateStores stores = stores()) {
            State<Baseline> state = stores.open("baselines", Baseline.class);
            assertThat(state.get("pump-01")).contains(new Baseline(85.2, 0.16, 40));
            assertThat(state.get("pump-02")).isEmpty();
            assertThat(state.keys()).containsExactly("pump-01");
            assertThat(stores.contents("baselines").get("pump-01").get("learned").asLong()).isEqualTo(40);
        }
    }

    @Test
    void open_afterAKill_withoutClose_seesEveryReturnedPut() {
        StateStores killed = stores(); // never closed: the process "died" after put returned
        killed.<Baseline>open("baselines", Baseline.class).put("pump-01", new Baseline(1, 2, 3));
        try (StateStores stores = stores()) {
            assertThat(stores.<Baseline>open("baselines", Baseline.class).get("pump-01")).contains(new Baseline(1, 2, 3));
        }
        killed.close();
    }

    @Test
    void open_truncatesATornTail_recordCutShort() throws IOException {
        writeTwoVersions();
        long whole = Files.size(log("baselines"));
        byte[] next = LogStorage.record((byte) 1, "pump-01".getBytes(StandardCharsets.UTF_8),
                "{\"mean\":99,\"variance\":1,\"learned\":3}".getBytes(StandardCharsets.UTF_8)).array();
        append(log("baselines"), java.util.Arrays.copyOf(next, next.length - 5)); // the crash hit mid-write

        try (StateStores stores = stores()) {
            assertThat(stores.<Baseline>open("baselines", Baseline.class).get("pump-01")).contains(new Baseline(2, 2, 2));
        }
        assertThat(Files.size(log("baselines"))).isEqualTo(whole);
    }

    @Test
    void open_truncatesATornTail_zerosWhereTheFileGrew() throws IOException {
        writeTwoVersions();
        long whole = Files.size(log("baselines"));
        append(log("baselines"), new byte[4096]);
        try (StateStores stores = stores()) {
            assertThat(stores.<Baseline>open("baselines", Baseline.class).get("pump-01")).contains(new Baseline(2, 2, 2));
        }
        assertThat(Files.size(log("baselines"))).isEqualTo(whole);
    }

    @Test
    void open_truncatesATornTail_lastRecordFailsItsCrc() throws IOException {
        writeTwoVersions();
        Path file = log("baselines");
        flipByte(file, Files.size(file) - 2); // inside the last record's value
        try (StateStores stores = stores()) {
            State<Baseline> state = stores.open("baselines", Baseline.class);
            assertThat(state.get("pump-01")).contains(new Baseline(1, 1, 1)); // the torn second put is gone
            state.put("pump-01", new Baseline(3, 3, 3)); // and the log goes on after the cut
        }
        try (StateStores stores = stores()) {
            assertThat(stores.<Baseline>open("baselines", Baseline.class).get("pump-01")).contains(new Baseline(3, 3, 3));
        }
    }

    @Test
    void open_afterACrashAtAnyByte_recoversAPrefixOfThePuts() throws IOException {
        try (StateStores stores = stores()) {
            State<Long> state = stores.open("counts", Long.class);
            for (long i = 1; i <= 12; i++) {
                state.put("k" + (i % 4), i);
            }
        }
        byte[] whole = Files.readAllBytes(log("counts"));
        java.util.Random random = new java.util.Random(42);
        for (int trial = 0; trial < 30; trial++) {
            int cut = LogStorage.HEADER.length + random.nextInt(whole.length - LogStorage.HEADER.length + 1);
            boolean zeros = random.nextBoolean(); // the file had grown, but the bytes after the cut never landed
            byte[] crashed = zeros ? whole.clone() : java.util.Arrays.copyOf(whole, cut);
            if (zeros) {
                java.util.Arrays.fill(crashed, cut, crashed.length, (byte) 0);
            }
            Files.write(log("counts"), crashed);
            try (StateStores stores = stores()) {
                State<Long> state = stores.open("counts", Long.class);
                // The puts that survived are the first n, for some n: each key holds its last value among them.
                long n = 0;
                for (String key : state.keys()) {
                    n = Math.max(n, state.get(key).orElseThrow());
                }
                for (long i = Math.max(1, n - 3); i <= n; i++) {
                    assertThat(state.get("k" + (i % 4))).as("cut at %d (zeros %s)", cut, zeros).contains(i);
                }
                assertThat(state.keys()).hasSize((int) Math.min(n, 4));
            }
        }
    }

    @Test
    void open_refusesADamagedRecordWithRecordsAfterIt_namingFileAndOffset() throws IOException {
        writeTwoVersions();
        flipByte(log("baselines"), LogStorage.HEADER.length + LogStorage.RECORD_HEADER + 5);
        try (StateStores stores = stores()) {
            assertThatThrownBy(() -> stores.open("baselines", Baseline.class))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining(log("baselines").toString())
                    .hasMessageContaining("is damaged: the record at offset 8 fails its CRC32C check")
                    .hasMessageContaining("move it away to start the store empty");
        }
    }

    @Test
    void open_refusesAFileThatIsNoStateLog() throws IOException {
        Files.writeString(log("baselines"), "{\"not\": \"a state log\"}");
        try (StateStores stores = stores()) {
            assertThatThrownBy(() -> stores.open("baselines", Baseline.class))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("is not an edgefn state log");
        }
    }

    @Test
    void put_compactsTheLog_whenMostOfItIsDead() throws IOException {
        String big = "x".repeat(4_000);
        try (StateStores stores = stores()) {
            State<String> state = stores.open("window", String.class);
            state.put("other", "kept");
            for (int i = 0; i < 100; i++) { // ~400 KB written, ~4 KB live
                state.put("last", big + i);
            }
            assertThat(Files.size(log("window"))).isLessThan(LogStorage.COMPACT_MIN_BYTES + 10_000);
            assertThat(state.get("last")).contains(big + 99);
        }
        assertThat(Files.exists(dir.resolve("window.log.compacting"))).isFalse();
        try (StateStores stores = stores()) {
            State<String> state = stores.open("window", String.class);
            assertThat(state.get("last")).contains(big + 99);
            assertThat(state.get("other")).contains("kept");
        }
    }

    @Test
    void open_deletesAnUnfinishedCompaction_andKeepsTheLog() throws IOException {
        writeTwoVersions();
        Files.write(dir.resolve("baselines.log.compacting"), new byte[] {'E', 'F'});
        try (StateStores stores = stores()) {
            assertThat(stores.<Baseline>open("baselines", Baseline.class).get("pump-01")).contains(new Baseline(2, 2, 2));
        }
        assertThat(Files.exists(dir.resolve("baselines.log.compacting"))).isFalse();
    }

    @Test
    void concurrentPutsAndUpdates_loseNothing() throws Exception {
        int threads = 4;
        int each = 20;
        try (StateStores stores = stores(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            State<Long> state = stores.open("counts", Long.class);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        state.put("t" + thread + "-" + i, (long) i);
                        state.update("total", n -> n == null ? 1L : n + 1);
                        assertThat(state.get("t" + thread + "-" + i)).contains((long) i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(state.get("total")).contains((long) threads * each);
        }
        try (StateStores stores = stores()) {
            State<Long> state = stores.open("counts", Long.class);
            assertThat(state.keys()).hasSize(threads * each + 1);
            assertThat(state.get("total")).contains((long) threads * each);
        }
    }

    @Test
    void put_onAnInterruptedThread_isDurable_andTheStoreKeepsWorking() {
        // The host interrupts a timed-out invocation; an interrupt must not close the store's file.
        String big = "x".repeat(4_000);
        try (StateStores stores = stores()) {
            State<String> state = stores.open("window", String.class);
            Thread.currentThread().interrupt();
            try {
                for (int i = 0; i < 40; i++) { // past the compaction threshold, interrupted throughout
                    state.put("last", big + i);
                }
                assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the function").isTrue();
            } finally {
                Thread.interrupted();
            }
            state.put("after", "still works");
        }
        try (StateStores stores = stores()) {
            State<String> state = stores.open("window", String.class);
            assertThat(state.get("last")).contains(big + 39);
            assertThat(state.get("after")).contains("still works");
        }
    }

    @Test
    void cache_staysCoherentWithTheFile() {
        try (StateStores stores = stores()) {
            State<Counter> state = stores.open("counters", Counter.class);
            Counter c = new Counter();
            c.count = 1;
            state.put("a", c);
            c.count = 99; // the caller changes its own instance after the put: the store does not see it
            assertThat(state.get("a").orElseThrow().count).isEqualTo(1);
            Counter read = state.get("a").orElseThrow(); // now cached
            Counter next = new Counter();
            next.count = 2;
            state.put("a", next);
            assertThat(state.get("a").orElseThrow().count).isEqualTo(2);
            assertThat(read.count).isEqualTo(1);
            state.remove("a");
            assertThat(state.get("a")).isEmpty();
            assertThat(state.update("a", old -> null)).isNull();
            assertThat(state.keys()).isEmpty();
        }
    }

    @Test
    void limits_refuseWithClearErrors_andChangeNothing() {
        StateLimits small = new StateLimits(8, 40, 100, 10);
        try (StateStores stores = stores(small)) {
            State<String> state = stores.open("small", String.class);
            assertThatThrownBy(() -> state.put("", "v")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("state store 'small' of function 'detector': key '' is 0 bytes of UTF-8; a key is 1 to 8");
            assertThatThrownBy(() -> state.put("much-too-long", "v")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is 13 bytes");
            assertThatThrownBy(() -> state.put("k", "v".repeat(50))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the value of key 'k' is 52 bytes as JSON, over the limit of 40 bytes per value");
            state.put("a", "x".repeat(30));
            state.put("b", "x".repeat(30));
            state.put("c", "x".repeat(30)); // 3 x (1 + 32) = 99 bytes
            assertThatThrownBy(() -> state.put("d", "x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("state store 'small' of function 'detector' is full: putting key 'd'")
                    .hasMessageContaining("over its limit of 100");
            state.put("c", "y"); // replacing counts the new size, not both
            state.put("d", "x");
            assertThat(state.keys()).containsExactlyInAnyOrder("a", "b", "c", "d");
        }
        assertThatThrownBy(() -> new StateLimits(0, 0, 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxKeyBytes must be 1 to 65535, was 0")
                .hasMessageContaining("maxValueBytes must be positive, was 0")
                .hasMessageContaining("cachedValues must be 0 or more, was -1");
    }

    @Test
    void open_sameStoreWithAnotherType_isRefused() {
        try (StateStores stores = stores()) {
            State<Baseline> first = stores.open("baselines", Baseline.class);
            assertThat(stores.<Baseline>open("baselines", Baseline.class)).isSameAs(first);
            assertThatThrownBy(() -> stores.open("baselines", String.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("state store 'baselines' of function 'detector' holds")
                    .hasMessageContaining("a store holds one type of value");
        }
    }

    @Test
    void get_ofAValueWrittenAsAnotherType_failsNamingTheKey() {
        try (StateStores stores = stores()) {
            stores.<String>open("baselines", String.class).put("pump-01", "not a baseline");
        }
        try (StateStores stores = stores()) {
            State<Baseline> state = stores.open("baselines", Baseline.class);
            assertThatThrownBy(() -> state.get("pump-01")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the stored value of key 'pump-01' cannot be read as");
        }
    }

    @Test
    void inMemory_storesWork_andSayTheyAreNotDurable() {
        try (StateStores stores = StateStores.inMemory("detector", MAPPER, StateLimits.DEFAULTS)) {
            State<Baseline> state = stores.open("baselines", Baseline.class);
            state.put("pump-01", new Baseline(1, 2, 3));
            assertThat(state.get("pump-01")).contains(new Baseline(1, 2, 3));
            assertThat(stores.durable()).isFalse();
            assertThat(stores.toString()).contains("in memory (lost when the process ends)");
        }
        assertThat(dir).isEmptyDirectory();
    }

    private void writeTwoVersions() {
        try (StateStores stores = stores()) {
            State<Baseline> state = stores.open("baselines", Baseline.class);
            state.put("pump-01", new Baseline(1, 1, 1));
            state.put("pump-01", new Baseline(2, 2, 2));
        }
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, at);
        }
    }
}
