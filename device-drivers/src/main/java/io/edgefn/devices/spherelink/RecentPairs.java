package io.edgefn.devices.spherelink;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The last {@value #CAPACITY} (seq, payload) pairs a Sphere link receiver acted on, with the
 * answer each got, so a resent EVENT or COMMAND is answered again without being acted on again —
 * the duplicate rule the spec sets for both ends of the link. Public for other implementations of
 * the protocol, such as a simulated MCU.
 *
 * <p>Thread-safe (a monitor on the instance): the reader thread looks pairs up and remembers
 * them, and the thread that delivered an event may replace its answer.
 */
public final class RecentPairs {

    /** How many pairs the spec says a receiver remembers. */
    public static final int CAPACITY = 16;

    private record Entry(int seq, byte[] payload, String answer) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>(CAPACITY);

    /** An empty memory, as at the start of a link session. */
    public RecentPairs() {
    }

    /** The answer remembered for ({@code seq}, {@code payload}), or {@code null} if it is new. */
    public synchronized String answerFor(int seq, byte[] payload) {
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.seq == seq && Arrays.equals(e.payload, payload)) {
                return e.answer;
            }
        }
        return null;
    }

    /** Remembers that ({@code seq}, {@code payload}) was acted on and answered with {@code answer}. */
    public synchronized void remember(int seq, byte[] payload, String answer) {
        entries.removeIf(e -> e.seq == seq && Arrays.equals(e.payload, payload));
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(seq, payload, answer));
    }

    /** Forgets everything (a new link session). */
    public synchronized void clear() {
        entries.clear();
    }
}
