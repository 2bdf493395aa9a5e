package io.edgefn.buffer.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sequence numbers of one priority band whose records are known destroyed (fsynced, then found
 * damaged by recovery or by a read), as disjoint ranges. It makes each loss count once however many
 * cursors meet it, and lets depth leave out records that can no longer be read. Ranges below the
 * oldest segment still held are forgotten. Damage is rare, so the set stays small.
 *
 * <p>Threading: thread-safe (one lock, never held while calling out).
 */
final class LostRecords {
    /** from → to (exclusive), disjoint and not adjacent. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Marks {@code [from, to)} lost; returns how many of those sequences were not marked before. */
    synchronized long add(long from, long to) {
        if (from >= to) {
            return 0;
        }
        long already = countIn(from, to);
        long start = from;
        long end = to;
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(start)) != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(start, end);
        return (to - from) - already;
    }

    /** How many sequences of {@code [from, to)} are marked lost. */
    synchronized long countIn(long from, long to) {
        if (from >= to || ranges.isEmpty()) {
            return 0;
        }
        long n = 0;
        Map.Entry<Long, Long> first = ranges.floorEntry(from);
        Long key = first != null && first.getValue() > from ? first.getKey() : ranges.ceilingKey(from);
        while (key != null && key < to) {
            long end = ranges.get(key);
            n += Math.min(end, to) - Math.max(key, from);
            key = ranges.higherKey(key);
        }
        return n;
    }

    /** Forgets the ranges below {@code seq} (their segments were deleted). */
    synchronized void forgetBefore(long seq) {
        while (!ranges.isEmpty() && ranges.firstEntry().getValue() <= seq) {
            ranges.pollFirstEntry();
        }
    }
}
