package io.edgefn.runtime.internal;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes message ids that never repeat across restarts or gateways: UUIDv7 (RFC 9562), a 48-bit
 * millisecond timestamp from the host's clock followed by 74 random bits. The random part is
 * drawn per id and mixed with a per-host value from {@link SecureRandom}, so two hosts — or two
 * runs of one host on the same data directory, even with a clock that stands still — share an id
 * only by a chance of about 2<sup>-74</sup> per pair. The timestamp keeps ids roughly time-ordered,
 * which the receivers' de-duplication caches like.
 *
 * <p>Thread-safe.
 */
final class MessageIds {

    private final InstantSource clock;
    private final long hostSalt;

    MessageIds(InstantSource clock) {
        this.clock = clock;
        this.hostSalt = new SecureRandom().nextLong();
    }

    /** A new id, e.g. {@code 019ad4f0-3c1e-7a52-9b0e-4f1d2c3b4a59}. */
    String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = clock.millis() & 0xFFFF_FFFF_FFFFL;
        long high = millis << 16 | 0x7000L | (random.nextInt() & 0x0FFF);
        long low = ((random.nextLong() ^ hostSalt) & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
