package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void append_underAsync_completesAndIsDeliveredAfterTheNextFsync() throws Exception {
        BufferOptions options = BufferOptions.builder().durability(Durability.ASYNC).commitWindow(Duration.ofMillis(5)).build();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            long offset = buffer.append(new byte[] {42}, 2, 0).get();
            List<BufferedRecord> got = buffer.cursor("c").poll(10, Duration.ofSeconds(10));
            assertThat(got).extracting(BufferedRecord::offset).containsExactly(offset);
            assertThat(buffer.stats().fsyncs()).isPositive();
        }
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            assertThat(buffer.cursor("c").poll(10)).hasSize(1);
        }
    }

    @Test
    void options_asyncWithoutInterval_isRefusedWithTheReason() {
        assertThat(BufferOptions.builder().durability(Durability.ASYNC).build().commitWindow()).isEqualTo(Duration.ofMillis(10));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BufferOptions.builder().durability(Durability.ASYNC)
                .commitWindow(Duration.ZERO).build()).hasMessageContaining("fsync interval under ASYNC");
    }
}
