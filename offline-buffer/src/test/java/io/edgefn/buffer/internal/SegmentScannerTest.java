package io.edgefn.buffer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner's windowed reads: records across window ends, damage and torn tails inside a window, records larger than a window. */
class SegmentScannerTest {
    @TempDir
    Path dir;

    /** Frames records with payloads of the given sizes into one file; returns each record's start. */
    private static long[] write(StorageFile file, int... payloadSizes) throws Exception {
        long total = 0;
        for (int size : payloadSizes) {
            total += RecordFormat.framedSize(size);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total);
        CRC32C crc = new CRC32C();
        long[] starts = new long[payloadSizes.length];
        for (int i = 0; i < payloadSizes.length; i++) {
            starts[i] = buf.position();
            byte[] payload = new byte[payloadSizes[i]];
            java.util.Arrays.fill(payload, (byte) i);
            RecordFormat.encode(buf, crc, i, 3, 1000 + i, 0, payload);
        }
        buf.flip();
        file.write(buf, 0);
        return starts;
    }

    private record Scan(List<Long> sequences, List<long[]> skipped, long tornAt) {
    }

    private static Scan scanAll(StorageFile file, ByteBuffer reuse) throws Exception {
        List<long[]> skipped = new ArrayList<>();
        SegmentScanner scanner = new SegmentScanner(file, 0, file.size(), -1,
                (from, to, lastGood, nextGood) -> skipped.add(new long[] {from, to, lastGood, nextGood}), reuse);
        List<Long> seqs = new ArrayList<>();
        while (scanner.next()) {
            ByteBuffer b = scanner.buffer();
            int at = scanner.offsetInBuffer();
            long seq = RecordFormat.sequence(b, at);
            byte[] payload = RecordFormat.payload(b, at);
            assertThat(RecordFormat.enqueuedAt(b, at)).isEqualTo(1000 + seq);
            byte[] expected = new byte[payload.length];
            java.util.Arrays.fill(expected, (byte) seq);
            if (!java.util.Arrays.equals(payload, expected)) {
                throw new AssertionError("payload of record " + seq + " differs");
            }
            seqs.add(seq);
        }
        return new Scan(seqs, skipped, scanner.tornAt());
    }

    private static List<Long> range(int n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    /** Sizes chosen so record ends fall at every offset mod the window: many records straddle a window's end. */
    private static int[] oddSizes(int n) {
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = 1 + (i * 7919) % 3001;
        }
        return sizes;
    }

    @Test
    void next_readsEveryRecord_whenRecordsStraddleTheEndsOfGrowingWindows() throws Exception {
        int n = 3000; // ~4.5 MB: the windows grow from 64 KiB to 1 MiB and several 1 MiB windows follow
        try (StorageFile file = new DiskStorage(dir).open("s.log", true)) {
            write(file, oddSizes(n));
            Scan scan = scanAll(file, null);
            assertThat(scan.sequences()).isEqualTo(range(n));
            assertThat(scan.skipped()).isEmpty();
            assertThat(scan.tornAt()).isEqualTo(-1);
        }
    }

    @Test
    void next_readsEveryRecord_withAReusedBuffer() throws Exception {
        try (StorageFile file = new DiskStorage(dir).open("s.log", true)) {
            write(file, oddSizes(500));
            ByteBuffer used = ByteBuffer.allocateDirect(SegmentScanner.MAX_WINDOW);
            used.put(new byte[] {1, 2, 3}); // stale content and position from an earlier scanner
            assertThat(scanAll(file, used).sequences()).isEqualTo(range(500));
        }
    }

    @Test
    void next_readsARecordLargerThanTheLargestWindow_whole() throws Exception {
        int big = SegmentScanner.MAX_WINDOW * 2 + 17;
        try (StorageFile file = new DiskStorage(dir).open("s.log", true)) {
            write(file, 100, big, 100);
            assertThat(scanAll(file, null).sequences()).containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void next_stopsAtATornTail_thatEndsInsideAWindow() throws Exception {
        int n = 2000;
        try (StorageFile file = new DiskStorage(dir).open("s.log", true)) {
            long[] starts = write(file, oddSizes(n));
            // Cut the file inside record 1500 (past the first windows, inside a 1 MiB one).
            long cut = starts[1500] + 20;
            file.truncate(cut);
            Scan scan = scanAll(file, null);
            assertThat(scan.sequences()).isEqualTo(range(1500));
            assertThat(scan.tornAt()).isEqualTo(starts[1500]);
        }
    }

    @Test
    void next_skipsADamagedRecordInsideAWindow_andReadsOn() throws Exception {
        int n = 2000;
        try (StorageFile file = new DiskStorage(dir).open("s.log", true)) {
            long[] starts = write(file, oddSizes(n));
            file.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), starts[1200] + 40); // payload byte: CRC mismatch
            Scan scan = scanAll(file, null);
            List<Long> expected = range(n);
            expected.remove(Long.valueOf(1200));
            assertThat(scan.sequences()).isEqualTo(expected);
            assertThat(scan.skipped()).hasSize(1);
            assertThat(scan.skipped().get(0)).containsExactly(starts[1200], starts[1201], 1199, 1201);
            assertThat(scan.tornAt()).isEqualTo(-1);
        }
    }

    @Test
    void next_findsTheRecordThatStraddlesAWindowEnd_afterTheLimitGrows() throws Exception {
        try (StorageFile file = new DiskStorage(dir).open("s.log", true)) {
            long[] starts = write(file, oddSizes(100));
            long end = file.size();
            // A reader whose limit ends inside record 60 (not yet durable), then sees it grow.
            SegmentScanner scanner = new SegmentScanner(file, 0, starts[60] + 10, -1, (a, b, c, d) -> { }, null);
            long last = -1;
            while (scanner.next()) {
                last = RecordFormat.sequence(scanner.buffer(), scanner.offsetInBuffer());
            }
            assertThat(last).isEqualTo(59);
            scanner.extendLimit(end);
            List<Long> rest = new ArrayList<>();
            while (scanner.next()) {
                rest.add(RecordFormat.sequence(scanner.buffer(), scanner.offsetInBuffer()));
            }
            assertThat(rest).isEqualTo(range(100).subList(60, 100));
        }
    }
}
