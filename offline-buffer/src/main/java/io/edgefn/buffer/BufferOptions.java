package io.edgefn.buffer;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;


/**
 * The settings of an {@link OfflineBuffer}: immutable, built with {@link #builder()}.
 *
 * @param maxBytes     the cap on bytes held in segment files (default 1 GiB)
 * @param fullPolicy   what happens to an append that would exceed the cap (default {@link FullPolicy#REJECT_NEW})
 * @param durability   when an append completes (default {@link Durability#GROUP_COMMIT})
 * @param commitWindow group commit: how long the writer waits for more appends before an fsync
 *                     (default 0: it takes whatever arrived while the previous fsync ran and keeps
 *                     taking appends while they keep arriving — a pause of 0.1 ms, a group as large
 *                     as the recent ones, or half an fsync's time ends it — which groups hundreds of
 *                     appends under load without delaying a lone one);
 *                     async: the interval between fsyncs (default 10 ms), which must be positive
 * @param segmentBytes the size at which a segment file is closed and a new one started (default 64 MiB)
 * @param clock        the source of enqueue times and of "now" for expiry (default the system clock)
 */
public record BufferOptions(long maxBytes, FullPolicy fullPolicy, Durability durability, Duration commitWindow,
                            long segmentBytes, InstantSource clock) {

    /** The smallest segment size accepted. */
    public static final long MIN_SEGMENT_BYTES = 4096;

    /** Checks every setting at once and names each bad value. */
    public BufferOptions {
        List<String> problems = new ArrayList<>();
        if (fullPolicy == null) problems.add("fullPolicy must not be null");
        if (durability == null) problems.add("durability must not be null");
        if (clock == null) problems.add("clock must not be null");
        if (commitWindow == null) {
            problems.add("commitWindow must not be null");
        } else if (commitWindow.isNegative() || commitWindow.compareTo(Duration.ofSeconds(10)) > 0) {
            problems.add("commitWindow must be between 0 and 10 s, was " + commitWindow);
        } else if (durability == Durability.ASYNC && commitWindow.isZero()) {
            problems.add("commitWindow is the fsync interval under ASYNC and must be positive, was 0");
        }
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > Integer.MAX_VALUE) {
            problems.add("segmentBytes must be between " + MIN_SEGMENT_BYTES + " and " + Integer.MAX_VALUE
                    + ", was " + segmentBytes);
        }
        if (maxBytes < 2 * segmentBytes) {
            problems.add("maxBytes must be at least twice segmentBytes (" + segmentBytes + "), was " + maxBytes);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid BufferOptions: " + String.join("; ", problems));
        }
    }

    /** The defaults: 1 GiB, reject-new, group commit without an extra window, 64 MiB segments, the system clock. */
    public static BufferOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().maxBytes(maxBytes).fullPolicy(fullPolicy).durability(durability)
                .commitWindow(commitWindow).segmentBytes(segmentBytes).clock(clock);
    }

    /** Builds {@link BufferOptions}; not thread-safe. Values are checked together by {@link #build()}. */
    public static final class Builder {
        private long maxBytes = 1L << 30;
        private FullPolicy fullPolicy = FullPolicy.REJECT_NEW;
        private Durability durability = Durability.GROUP_COMMIT;
        private Duration commitWindow;
        private long segmentBytes = 64L << 20;
        private InstantSource clock = InstantSource.system();

        private Builder() {
        }

        /** Sets the cap on bytes held. */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** Sets the policy for appends that do not fit. */
        public Builder fullPolicy(FullPolicy fullPolicy) {
            this.fullPolicy = fullPolicy;
            return this;
        }

        /** Sets when appends complete. */
        public Builder durability(Durability durability) {
            this.durability = durability;
            return this;
        }

        /** Sets the commit window (group commit, default 0) or fsync interval (async, default 10 ms). */
        public Builder commitWindow(Duration commitWindow) {
            this.commitWindow = commitWindow;
            return this;
        }

        /** Sets the segment size. */
        public Builder segmentBytes(long segmentBytes) {
            this.segmentBytes = segmentBytes;
            return this;
        }

        /** Sets the clock used for enqueue times and expiry. */
        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** Checks every value and builds the options; throws {@link IllegalArgumentException} naming each problem. */
        public BufferOptions build() {
            Duration window = commitWindow != null ? commitWindow
                    : durability == Durability.ASYNC ? Duration.ofMillis(10) : Duration.ZERO;
            return new BufferOptions(maxBytes, fullPolicy, durability, window, segmentBytes, clock);
        }
    }

}
