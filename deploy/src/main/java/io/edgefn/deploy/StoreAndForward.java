package io.edgefn.deploy;

/**
 * How messages for {@code $upstream} are kept while the upstream link is down.
 *
 * @param timeToLiveSecs how long a message is kept before it expires, in seconds, positive
 * @param maxBytes       the most the buffer may hold on disk, at least {@link #MIN_MAX_BYTES}, or {@code null}
 *                       for the buffer's default (1 GiB)
 * @param fullPolicy     what a full buffer does: {@link #REJECT_NEW} or {@link #DROP_OLDEST}
 */
public record StoreAndForward(long timeToLiveSecs, Long maxBytes, String fullPolicy) {

    /** The full policy that refuses new messages (producers feel back-pressure). */
    public static final String REJECT_NEW = "reject-new";

    /** The full policy that discards the oldest messages to make room, counting them. */
    public static final String DROP_OLDEST = "drop-oldest";

    /**
     * The smallest {@code maxBytes} a deployment may give: 128 MiB (134217728 bytes). The offline
     * buffer writes 64 MiB segment files and needs room for two (one being written, one being
     * drained), so a smaller cap could never hold a full segment; the host's buffer options check
     * the same rule, and a test in function-runtime keeps the two in step.
     */
    public static final long MIN_MAX_BYTES = 128L << 20;

    /** The time to live when none is given: two hours, as edgeHub's default. */
    public static final long DEFAULT_TIME_TO_LIVE_SECS = 7200;

    /** What a deployment gets when it says nothing: two hours, no size limit, reject new. */
    public static final StoreAndForward DEFAULT =
            new StoreAndForward(DEFAULT_TIME_TO_LIVE_SECS, null, REJECT_NEW);
}
