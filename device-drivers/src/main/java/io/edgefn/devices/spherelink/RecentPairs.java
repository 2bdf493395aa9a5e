package io.edgefn.devices.spherelink;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The last {@value #CAPACITY} (seq, payload) pairs acted on, with the answer each got, so a
 * resent EVENT or COMMAND is answered again without being acted on again.
 *
 * <p>Thread-safe (a monitor on the instance): the reader thread looks pairs up and remembers
 * them, and the thread that delivered an event may replace its answer.
 */
final class RecentPairs {

    /** How many pairs the spec says a receiver remembers. */
    static final int CAPACITY = 16;

    private record Entry(int seq, byte[] payload, String answer) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>(CAPACITY);

    /** The answer remembered for ({@code seq}, {@code payload}), or {@code null} if it is new. */
    synchronized String answerFor(int seq, byte[] payload) {
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.seq == seq && Arrays.equals(e.payload, payload)) {
                return e.answer;
            }
        }
        return null;
    }

    /** Remembers that ({@code seq}, {@code payload}) was acted on and answered with {@code answer}. */
    synchronized void remember(int seq, byte[] payload, String answer) {
        entries.removeIf(e -> e.seq == seq && Arrays.equals(e.payload, payload));
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(seq, payload, answer));
    }

    /** Forgets everything (a new link session). */
    synchronized void clear() {
        entries.clear();
    }
}
