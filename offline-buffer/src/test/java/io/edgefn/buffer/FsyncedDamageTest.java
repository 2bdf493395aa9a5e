package io.edgefn.buffer;

import static io.edgefn.buffer.TestRecords.indexOf;
import static io.edgefn.buffer.TestRecords.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A torn tail can only lie past the last fsync; damage to records that were fsynced is corruption.
 * Each case damages the newest segment of a store whose every record was fsynced (and, with a
 * cursor that acknowledged them, of a store that lost power), and checks that the damaged records
 * are counted, the intact ones after them kept, depth equals what can be read, the damaged bytes
 * are left as they are, and no sequence number is handed out twice. "Without the marker" is a crash after
 * the buffer last recorded how far it had fsynced.
 */
class FsyncedDamageTest {
    private static final int PRIORITY = 4;
    /** 100-byte payloads frame to 137 bytes: 119 records fill a 16 KiB segment. */
    private static final int PER_SEGMENT = 119;
    /** Two full segments and a newest one of 103 records, as in the report (issue 16, row 5). */
    private static final int RECORDS = 2 * PER_SEGMENT + 103;
    private static final BufferOptions OPTIONS = BufferOptions.builder().segmentBytes(16384).maxBytes(1 << 26).build();

    @TempDir
    Path tmp;


    /** A store of {@link #RECORDS} fsynced records and a cursor "$upstream" that acknowledged none, closed cleanly. */
    private Path store(boolean withMarker) throws Exception {
        Path dir = tmp.resolve(withMarker ? "marker" : "crash");
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
            buffer.cursor("$upstream");
            List<CompletableFuture<Long>> appended = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                appended.add(buffer.append(payload(i), PRIORITY, 0));
            }
            for (CompletableFuture<Long> f : appended) {
                f.get();
            }
        }
        if (!withMarker) {
            Files.delete(dir.resolve("clean-shutdown"));
        }
        assertThat(frames(newestSegment(dir))).hasSize(RECORDS - 2 * PER_SEGMENT);
        return dir;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("p" + PRIORITY))) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    private static Path newestSegment(Path dir) throws IOException {
        List<Path> segs = segments(dir);
        return segs.get(segs.size() - 1);
    }

    /** The (position, length) of each record frame in a segment file. */
    private static List<long[]> frames(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<long[]> out = new ArrayList<>();
        int pos = 0;
        while (pos + 12 <= b.limit()) {
            int len = 12 + b.getInt(pos + 8);
            out.add(new long[] {pos, len});
            pos += len;
        }
        return out;
    }

    /** The record indexes a fresh cursor reads, checking each payload. */
    private static List<Integer> readAll(OfflineBuffer buffer, String cursorName) {
        Cursor cursor = buffer.cursor(cursorName);
        List<Integer> got = new ArrayList<>();
        List<BufferedRecord> batch;
        while (!(batch = cursor.poll(128)).isEmpty()) {
            for (BufferedRecord r : batch) {
                int i = indexOf(r.payload());
                assertThat(r.payload()).isEqualTo(payload(i));
                got.add(i);
            }
        }
        return got;
    }

    private static long depthOf(BufferStats stats, String cursor) {
        return stats.cursors().stream().filter(c -> c.name().equals(cursor)).findFirst().orElseThrow().depth();
    }

    private static List<Integer> allBut(List<Integer> lost) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            if (!lost.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    /**
     * Opens the damaged store and checks the honest outcome: {@code expected} are read, the rest are
     * counted as corrupt from the moment recovery ends, depth equals what can be read (for the
     * cursor that was there and a new one), the damaged bytes are untouched, and the next append
     * takes the sequence after every record ever acknowledged.
     */
    private static void assertHonest(Path dir, Path damaged, List<Integer> expected) throws Exception {
        byte[] damagedBytes = Files.readAllBytes(damaged);
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
            BufferStats afterRecovery = buffer.stats();
            assertThat(afterRecovery.droppedCorrupt()).as("counted when recovery ends").isEqualTo(RECORDS - expected.size());
            assertThat(depthOf(afterRecovery, "$upstream")).as("depth of the existing cursor").isEqualTo(expected.size());
            assertThat(buffer.cursor("new").depth()).as("depth of a new cursor").isEqualTo(expected.size());
            assertThat(readAll(buffer, "$upstream")).containsExactlyElementsOf(expected);
            assertThat(buffer.stats().droppedCorrupt()).as("counted once, not again when read").isEqualTo(RECORDS - expected.size());
            long next = buffer.append(payload(RECORDS), PRIORITY, 0).get();
            assertThat(BufferedRecord.sequenceOf(next)).as("no sequence handed out twice").isEqualTo(RECORDS);
            List<Integer> withNext = new ArrayList<>(expected);
            withNext.add(RECORDS);
            assertThat(readAll(buffer, "new")).containsExactlyElementsOf(withNext);
        }
        byte[] after = Files.readAllBytes(damaged);
        assertThat(after.length >= damagedBytes.length
                && Arrays.equals(Arrays.copyOf(after, damagedBytes.length), damagedBytes))
                .as("the damaged segment keeps its bytes (appends may follow them)").isTrue();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
            List<Integer> withNext = new ArrayList<>(expected);
            withNext.add(RECORDS);
            assertThat(readAll(buffer, "again")).as("after another restart").containsExactlyElementsOf(withNext);
        }
    }

    @ParameterizedTest(name = "clean-shutdown marker: {0}")
    @ValueSource(booleans = {true, false})
    void zeroedTailSegment_ofFsyncedRecords_isCorruptionNotATornTail(boolean withMarker) throws Exception {
        Path dir = store(withMarker);
        Path last = newestSegment(dir);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.write(new byte[(int) f.length()]);
        }
        assertHonest(dir, last, range(0, 2 * PER_SEGMENT));
    }

    @ParameterizedTest(name = "clean-shutdown marker: {0}")
    @ValueSource(booleans = {true, false})
    void bitFlip_inTheLastFsyncedRecord_isCorruptionNotATornTail(boolean withMarker) throws Exception {
        Path dir = store(withMarker);
        Path last = newestSegment(dir);
        List<long[]> frames = frames(last);
        long[] lastFrame = frames.get(frames.size() - 1);
        flipBit(last, lastFrame[0] + 60, 3);
        assertHonest(dir, last, allBut(List.of(RECORDS - 1)));
    }

    @ParameterizedTest(name = "clean-shutdown marker: {0}")
    @ValueSource(booleans = {true, false})
    void bitFlip_inTheMiddleOfTheNewestSegment_losesOnlyThatRecord(boolean withMarker) throws Exception {
        Path dir = store(withMarker);
        Path last = newestSegment(dir);
        long[] frame = frames(last).get(50);
        flipBit(last, frame[0] + 40, 0);
        assertHonest(dir, last, allBut(List.of(2 * PER_SEGMENT + 50)));
    }

    @ParameterizedTest(name = "clean-shutdown marker: {0}")
    @ValueSource(booleans = {true, false})
    void tornTail_pastTheLastFsync_isCutAndNotCounted(boolean withMarker) throws Exception {
        Path dir = store(withMarker);
        Path last = newestSegment(dir);
        long size = Files.size(last);
        byte[] bytes = Files.readAllBytes(last);
        long[] lastFrame = frames(last).get(frames(last).size() - 1);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            // The first 60 bytes of a record the crash interrupted: a plausible header, no whole frame.
            f.seek(size);
            f.write(bytes, (int) lastFrame[0], 60);
        }
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
            assertThat(buffer.stats().droppedCorrupt()).isZero();
            assertThat(buffer.cursor("new").depth()).isEqualTo(RECORDS);
            assertThat(Files.size(last)).as("the torn tail is cut").isEqualTo(size);
            assertThat(readAll(buffer, "new")).containsExactlyElementsOf(range(0, RECORDS));
            assertThat(BufferedRecord.sequenceOf(buffer.append(payload(RECORDS), PRIORITY, 0).get())).isEqualTo(RECORDS);
        }
        assertThat(segments(dir)).hasSize(3);
    }

    @Test
    void zeroedTailSegment_afterAPowerCut_isCorruptionWhenACursorHadAcknowledgedItsRecords() throws Exception {
        PowerLossStorage storage = new PowerLossStorage(new Random(3));
        OfflineBuffer buffer = OfflineBuffer.open(storage, OPTIONS);
        Cursor cursor = buffer.cursor("$upstream");
        List<CompletableFuture<Long>> appended = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            appended.add(buffer.append(payload(i), PRIORITY, 0));
        }
        for (CompletableFuture<Long> f : appended) {
            f.get();
        }
        for (BufferedRecord r : cursor.poll(RECORDS)) {
            if (BufferedRecord.sequenceOf(r.offset()) < 300) {
                cursor.ack(r.offset());
            }
        }
        buffer.close();
        storage = storage.powerCut(PowerLossStorage.Cut.DROP_UNFORCED);
        storage.delete("clean-shutdown");
        storage.delete("recovery-point");
        String newest = storage.paths().stream().filter(p -> p.startsWith("p" + PRIORITY + "/")).sorted()
                .reduce((a, b) -> b).orElseThrow();
        storage.zero(newest);
        try (OfflineBuffer reopened = OfflineBuffer.open(storage, OPTIONS)) {
            assertThat(reopened.stats().droppedCorrupt()).as("the cursor had acknowledged sequences up to 300")
                    .isEqualTo(300 - 2 * PER_SEGMENT);
            assertThat(reopened.cursor("$upstream").depth()).isZero();
            assertThat(BufferedRecord.sequenceOf(reopened.append(payload(RECORDS), PRIORITY, 0).get())).isEqualTo(300);
        }
    }

    private static void flipBit(Path file, long position, int bit) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ (1 << bit));
        }
    }
}
