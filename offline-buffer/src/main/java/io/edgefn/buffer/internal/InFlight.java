package io.edgefn.buffer.internal;

import java.util.Arrays;

/**
 * The records of one band a cursor has handed out and not yet passed its acknowledged position
 * over: their sequences in increasing order (poll hands them out in that order) with an
 * "acknowledged" flag each, in a growable ring of primitive arrays. It replaces a
 * {@code TreeMap<Long, Boolean>}: handing out and acknowledging in order cost O(1) and allocate
 * nothing, an acknowledgement out of order a binary search. Not thread-safe: owned by its cursor,
 * used under the cursor's lock.
 */
final class InFlight {
    private long[] seqs = new long[1024];
    private boolean[] acked = new boolean[1024];
    private int head;
    private int size;
    private int ackedCount;

    /** Adds {@code seq}, which must be greater than every sequence held. */
    void add(long seq) {
        if (size > 0 && seq <= seqs[index(size - 1)]) {
            throw new IllegalStateException("in-flight sequences must increase: " + seq + " after " + seqs[index(size - 1)]);
        }
        if (size == seqs.length) {
            grow();
        }
        int i = index(size);
        seqs[i] = seq;
        acked[i] = false;
        size++;
    }

    /** Whether no record is held. */
    boolean isEmpty() {
        return size == 0;
    }

    /** The number of held records that are acknowledged. */
    int ackedCount() {
        return ackedCount;
    }

    /** The smallest sequence held; only when not empty. */
    long first() {
        return seqs[head];
    }

    /** 1 if {@code seq} is held and not acknowledged, 2 if held and acknowledged, 0 if not held. */
    int state(long seq) {
        int k = find(seq);
        return k < 0 ? 0 : acked[index(k)] ? 2 : 1;
    }

    /** Marks the held {@code seq} acknowledged; false if it is not held or was already acknowledged. */
    boolean ack(long seq) {
        int k = find(seq);
        if (k < 0) {
            return false;
        }
        int i = index(k);
        if (acked[i]) {
            return false;
        }
        acked[i] = true;
        ackedCount++;
        return true;
    }

    /** Drops the acknowledged records at the front. */
    void dropAckedPrefix() {
        while (size > 0 && acked[head]) {
            head = (head + 1) & (seqs.length - 1);
            size--;
            ackedCount--;
        }
    }

    /** Forgets every record. */
    void clear() {
        head = 0;
        size = 0;
        ackedCount = 0;
    }

    /** How many acknowledged records are held with a sequence in {@code [from, to)}. */
    long ackedIn(long from, long to) {
        long n = 0;
        for (int k = lowerBound(from); k < size; k++) {
            int i = index(k);
            if (seqs[i] >= to) {
                break;
            }
            if (acked[i]) {
                n++;
            }
        }
        return n;
    }

    /** The position in order of {@code seq}, or -1 if it is not held. */
    private int find(long seq) {
        if (size == 0) {
            return -1;
        }
        long first = seqs[head];
        // In order and without gaps (the usual case), seq - first is its position.
        long guess = seq - first;
        if (guess >= 0 && guess < size && seqs[index((int) guess)] == seq) {
            return (int) guess;
        }
        int k = lowerBound(seq);
        return k < size && seqs[index(k)] == seq ? k : -1;
    }

    /** The first position in order whose sequence is at least {@code seq} (size if none). */
    private int lowerBound(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (seqs[index(mid)] < seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int index(int k) {
        return (head + k) & (seqs.length - 1);
    }

    private void grow() {
        int n = seqs.length;
        long[] s = new long[n * 2];
        boolean[] a = new boolean[n * 2];
        for (int k = 0; k < size; k++) {
            s[k] = seqs[index(k)];
            a[k] = acked[index(k)];
        }
        seqs = s;
        acked = a;
        head = 0;
        Arrays.fill(acked, size, acked.length, false);
    }
}
