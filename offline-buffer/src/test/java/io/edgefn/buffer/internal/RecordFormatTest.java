package io.edgefn.buffer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private static ByteBuffer encoded(byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(RecordFormat.framedSize(payload.length));
        RecordFormat.encode(buf, new CRC32C(), 77, 3, 1_000, 2_000, payload);
        return buf.flip();
    }

    @Test
    void encode_thenRead_givesBackEveryField() {
        ByteBuffer buf = encoded(new byte[] {1, 2, 3});
        assertThat(RecordFormat.check(buf, 0)).isEqualTo(RecordFormat.Check.VALID);
        assertThat(RecordFormat.length(buf, 0)).isEqualTo(RecordFormat.OVERHEAD + 3);
        assertThat(RecordFormat.sequence(buf, 0)).isEqualTo(77);
        assertThat(RecordFormat.priority(buf, 0)).isEqualTo(3);
        assertThat(RecordFormat.enqueuedAt(buf, 0)).isEqualTo(1_000);
        assertThat(RecordFormat.expiresAt(buf, 0)).isEqualTo(2_000);
        assertThat(RecordFormat.payload(buf, 0)).containsExactly(1, 2, 3);
    }

    @Test
    void check_withAnyFlippedBit_isInvalidOrIncomplete() {
        ByteBuffer clean = encoded(new byte[] {9, 8, 7, 6});
        for (int bit = 0; bit < clean.limit() * 8; bit++) {
            ByteBuffer damaged = ByteBuffer.allocate(clean.limit()).put(clean.duplicate()).flip();
            damaged.put(bit / 8, (byte) (damaged.get(bit / 8) ^ (1 << (bit % 8))));
            assertThat(RecordFormat.check(damaged, 0)).as("bit %d", bit).isNotEqualTo(RecordFormat.Check.VALID);
        }
    }

    @Test
    void check_withTheFrameCutShort_isIncomplete() {
        ByteBuffer buf = encoded(new byte[100]);
        buf.limit(buf.limit() - 1);
        assertThat(RecordFormat.check(buf, 0)).isEqualTo(RecordFormat.Check.INCOMPLETE);
    }
}
