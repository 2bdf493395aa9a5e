package io.edgefn.triggers;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * One field of an NCRONTAB expression, parsed into the set of values it allows.
 *
 * <p>Immutable after parsing; safe to share between threads.
 */
final class CronField {

    /** What each of the six fields is: its name, its position and its range. */
    enum Kind {
        SECOND("second", 1, 0, 59, List.of()),
        MINUTE("minute", 2, 0, 59, List.of()),
        HOUR("hour", 3, 0, 23, List.of()),
        DAY("day", 4, 1, 31, List.of()),
        MONTH("month", 5, 1, 12,
                List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
        DAY_OF_WEEK("day-of-week", 6, 0, 6, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

        final String label;
        final int position;
        final int min;
        final int max;
        /** Names in value order starting at {@link #min}; empty when the field has none. */
        final List<String> names;

        Kind(String label, int position, int min, int max, List<String> names) {
            this.label = label;
            this.position = position;
            this.min = min;
            this.max = max;
            this.names = names;
        }
    }

    private final BitSet values;

    private CronField(BitSet values) {
        this.values = values;
    }

    /**
     * Parses {@code text} as a field of {@code kind}: a comma-separated list of {@code *},
     * {@code v}, {@code a-b}, each optionally followed by {@code /step}.
     *
     * @throws IllegalArgumentException naming the field, its position and the problem; the
     *     caller prefixes the whole expression
     */
    static CronField parse(Kind kind, String text) {
        BitSet values = new BitSet(kind.max + 1);
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw error(kind, "has an empty list item in \"" + text + "\"");
            }
            parseItem(kind, item, values);
        }
        return new CronField(values);
    }

    /** Parses one list item into {@code values}. */
    private static void parseItem(Kind kind, String item, BitSet values) {
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            String stepText = item.substring(slash + 1);
            step = parseNumber(kind, stepText, "step");
            if (step < 1) {
                throw error(kind, "step " + stepText + " in \"" + item + "\" must be at least 1");
            }
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = kind.min;
            to = kind.max;
        } else {
            int dash = range.indexOf('-');
            if (dash >= 0) {
                from = parseValue(kind, range.substring(0, dash));
                to = parseValue(kind, range.substring(dash + 1));
                if (from > to) {
                    throw error(kind, "range \"" + range + "\" goes backwards");
                }
            } else {
                from = parseValue(kind, range);
                to = slash >= 0 ? kind.max : from;
            }
        }
        for (int v = from; v <= to; v += step) {
            values.set(v);
        }
    }

    private static int parseValue(Kind kind, String text) {
        int index = kind.names.indexOf(text.toUpperCase(Locale.ROOT));
        if (index >= 0) {
            return kind.min + index;
        }
        int value = parseNumber(kind, text, "value");
        if (value < kind.min || value > kind.max) {
            throw error(kind, "value " + text + " is out of range " + kind.min + "-" + kind.max);
        }
        return value;
    }

    private static int parseNumber(Kind kind, String text, String what) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String expected = kind.names.isEmpty() ? "a number" : "a number or a name such as " + kind.names.getFirst();
            throw error(kind, what + " \"" + text + "\" is not " + expected);
        }
        return Integer.parseInt(text);
    }

    private static IllegalArgumentException error(Kind kind, String why) {
        return new IllegalArgumentException("field " + kind.position + " (" + kind.label + ") " + why);
    }

    /** Whether {@code value} is allowed. */
    boolean matches(int value) {
        return values.get(value);
    }

    /** The smallest allowed value at or above {@code value}, or -1 when there is none. */
    int nextOrSame(int value) {
        return values.nextSetBit(value);
    }
}
