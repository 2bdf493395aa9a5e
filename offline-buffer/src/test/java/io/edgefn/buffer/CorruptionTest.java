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
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages real store files the ways disks and crashes do — a cut tail, bit flips, a zeroed page, a
 * lost checkpoint — and checks that recovery keeps every intact record, reports the rest, and never
 * deletes the store.
 */
class CorruptionTest {
    private static final int PRIORITY = 5;
    private static final int RECORDS = 1000;
    private static final BufferOptions OPTIONS = BufferOptions.builder().segmentBytes(16384).maxBytes(1 << 26).build();

    @TempDir
    Path tmp;



    private static Path fillStore(Path dir) throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                futures.add(buffer.append(payload(i), PRIORITY, 0));
            }
            for (CompletableFuture<Long> f : futures) {
                f.get();
            }
        }
        return dir;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("p" + PRIORITY))) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    /** The (position, length) of each record frame in a segment file, read from the framing. */
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

    /** The record indexes read by a fresh cursor, in order, checking each payload is intact. */
    private static List<Integer> readAll(OfflineBuffer buffer) {
        Cursor cursor = buffer.cursor("reader");
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

    private static int recordsBefore(Path dir, Path segment) throws IOException {
        int n = 0;
        for (Path s : segments(dir)) {
            if (s.equals(segment)) {
                return n;
            }
            n += frames(s).size();
        }
        throw new IllegalStateException(segment + " not found");
    }

    @Test
    void open_afterTheNewestSegmentLosesItsEnd_keepsEveryRecordBeforeTheCutAndCountsTheRest() throws Exception {
        // Every record was fsynced (the store was closed cleanly), so a cut end is damage, not a torn
        // write: the records past the cut are counted as lost, the file is left as it is, and appends
        // continue in a new segment after the last sequence ever handed out.
        Random random = new Random(7);
        for (int round = 0; round < 12; round++) {
            Path dir = fillStore(tmp.resolve("r" + round));
            if (random.nextBoolean()) {
                Files.delete(dir.resolve("clean-shutdown"));
            }
            List<Path> segs = segments(dir);
            Path last = segs.get(segs.size() - 1);
            long size = Files.size(last);
            long cut = random.nextLong(size);
            try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
                f.setLength(cut);
            }
            int whole = 0;
            for (long[] frame : frames(segs.get(segs.size() - 1))) {
                if (frame[0] + frame[1] <= cut) {
                    whole++;
                }
            }
            int expected = recordsBefore(dir, last) + whole;
            try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
                assertThat(buffer.stats().droppedCorrupt()).as("round %d, cut at %d", round, cut).isEqualTo(RECORDS - expected);
                assertThat(readAll(buffer)).as("round %d, cut at %d", round, cut)
                        .containsExactlyElementsOf(range(0, expected));
                assertThat(Files.size(last)).as("the damaged file is kept as it is").isEqualTo(cut);
                long next = buffer.append(payload(expected), PRIORITY, 0).get();
                assertThat(BufferedRecord.sequenceOf(next)).as("no sequence handed out twice").isEqualTo(RECORDS);
            }
            assertThat(segments(dir)).as("no segment deleted, one started").hasSize(segs.size() + 1);
        }
    }

    @Test
    void read_afterBitFlipsInTheMiddle_skipsOnlyDamagedRecordsAndCountsThem() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 6; round++) {
            Path dir = fillStore(tmp.resolve("b" + round));
            if (round % 2 == 0) {
                Files.delete(dir.resolve("clean-shutdown"));
            }
            List<Path> segs = segments(dir);
            TreeSet<Integer> damaged = new TreeSet<>();
            for (int k = 0; k < 5; k++) {
                Path seg = segs.get(random.nextInt(segs.size()));
                List<long[]> frames = frames(seg);
                int which = random.nextInt(frames.size() - 1);
                long[] frame = frames.get(which);
                int index = recordsBefore(dir, seg) + which;
                if (!damaged.add(index)) {
                    continue;
                }
                flipBit(seg, frame[0] + random.nextLong(frame[1]), random.nextInt(8));
            }
            try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
                List<Integer> expected = new ArrayList<>(range(0, RECORDS));
                expected.removeAll(damaged);
                assertThat(readAll(buffer)).as("round %d, damaged %s", round, damaged).containsExactlyElementsOf(expected);
                assertThat(buffer.stats().droppedCorrupt()).isEqualTo(damaged.size());
            }
            assertThat(segments(dir)).hasSize(segs.size());
        }
    }

    @Test
    void read_afterZeroedPage_losesOnlyTheRecordsOnThatPage() throws Exception {
        for (boolean lastSegment : new boolean[] {false, true}) {
            Path dir = fillStore(tmp.resolve("z" + lastSegment));
            Files.delete(dir.resolve("clean-shutdown"));
            List<Path> segs = segments(dir);
            Path seg = lastSegment ? segs.get(segs.size() - 1) : segs.get(2);
            long pageStart = lastSegment ? 0 : 4096;
            long pageEnd = pageStart + 4096;
            assertThat(Files.size(seg)).isGreaterThan(pageEnd + 200);
            List<Integer> expected = new ArrayList<>();
            int before = recordsBefore(dir, seg);
            List<long[]> frames = frames(seg);
            for (int i = 0; i < RECORDS; i++) {
                int inSeg = i - before;
                if (inSeg >= 0 && inSeg < frames.size()) {
                    long[] f = frames.get(inSeg);
                    if (f[0] < pageEnd && f[0] + f[1] > pageStart) {
                        continue;
                    }
                }
                expected.add(i);
            }
            try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                f.seek(pageStart);
                f.write(new byte[4096]);
            }
            try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
                assertThat(readAll(buffer)).containsExactlyElementsOf(expected);
                assertThat(buffer.stats().droppedCorrupt()).isEqualTo(RECORDS - expected.size());
            }
        }
    }

    @Test
    void open_withMissingOrDamagedCheckpoint_redeliversFromTheOldestRecord() throws Exception {
        Path dir = fillStore(tmp.resolve("c"));
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
            for (String name : List.of("lost", "garbled")) {
                Cursor cursor = buffer.cursor(name);
                for (int n = 0; n < 500; n++) {
                    cursor.ack(cursor.poll(1).get(0).offset());
                }
            }
        }
        Files.delete(dir.resolve("cursors/lost.cursor"));
        Files.write(dir.resolve("cursors/garbled.cursor"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, OPTIONS)) {
            for (String name : List.of("lost", "garbled")) {
                Cursor cursor = buffer.cursor(name);
                assertThat(cursor.depth()).isEqualTo(RECORDS);
                List<BufferedRecord> first = cursor.poll(1);
                assertThat(indexOf(first.get(0).payload())).isZero();
            }
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

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
