package io.edgefn.benchmarks.routes;

import io.edgefn.api.Message;
import java.nio.charset.StandardCharsets;

/**
 * The route benchmarks' baseline: the two conditions written by hand as an engineer who cares
 * about allocation would, so that the compiled conditions are compared with equal effort — no
 * {@code String} is built, no number parsed through {@code Double.parseDouble} (which allocates),
 * no JSON tree: the typical condition costs 0 bytes per message, the body condition only the
 * body's copy that {@code Message.body()} hands out (and the compiled condition takes as well).
 *
 * <ul>
 *   <li>{@link #typical}: {@code as_number(temp) > 90 AND $connectionDeviceId = 'pump-01'} — the
 *       property's characters scanned as a plain decimal ({@code [+-]digits[.digits]}, with
 *       surrounding blanks); anything else (an exponent, {@code NaN}…) falls back to
 *       {@code Double.parseDouble}, as rare as it is slow, so the answer stays right.</li>
 *   <li>{@link BodyPressure}: {@code $body.pressure > 150} — a scanner over the body's bytes
 *       (their copy from {@code Message.body()}, as the compiled condition takes it) that walks the top-level JSON
 *       object, skipping strings, nested values and other members, and reads only the member
 *       {@code "pressure"}, with edgeHub's ordering of values of different kinds as the compiled
 *       condition has it.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class HandWritten {

    private static final byte[] PRESSURE = "pressure".getBytes(StandardCharsets.US_ASCII);

    private HandWritten() {
    }

    /** {@code as_number(temp) > 90 AND $connectionDeviceId = 'pump-01'}, allocating nothing. */
    static boolean typical(Message m) {
        String temp = m.property("temp");
        if (temp == null) {
            return false;
        }
        double value = decimal(temp);
        return value > 90 && "pump-01".equals(m.systemProperty("connectionDeviceId"));
    }

    /**
     * {@code s} as a number: a plain decimal scanned in place, else {@code Double.parseDouble}
     * of the stripped text; {@code NaN} when it is no number.
     */
    static double decimal(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && s.charAt(i) <= ' ') {
            i++;
        }
        while (n > i && s.charAt(n - 1) <= ' ') {
            n--;
        }
        double v = plainDecimal(s, i, n);
        if (!Double.isNaN(v)) {
            return v;
        }
        try {
            return Double.parseDouble(s.substring(i, n));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** {@code [+-]digits[.digits]} in {@code s[from, to)}, or {@code NaN} when it is anything else (or too long to be exact). */
    private static double plainDecimal(String s, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean point = false;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (point) {
                    scale++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return Double.NaN;
            }
        }
        // 15 digits and a small scale are exact as a double after one division
        if (digits == 0 || digits > 15 || scale > 22) {
            return Double.NaN;
        }
        double v = scale == 0 ? mantissa : mantissa / POWERS[scale];
        return negative ? -v : v;
    }

    /** {@code [+-]digits[.digits]} in {@code b[from, to)}, or {@code NaN} when it is anything else (or too long to be exact). */
    private static double plainDecimal(byte[] b, int n, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && ((char) b[i] == '-' || (char) b[i] == '+')) {
            negative = (char) b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean point = false;
        for (; i < to; i++) {
            char c = (char) b[i];
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (point) {
                    scale++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return Double.NaN;
            }
        }
        // 15 digits and a small scale are exact as a double after one division
        if (digits == 0 || digits > 15 || scale > 22) {
            return Double.NaN;
        }
        double v = scale == 0 ? mantissa : mantissa / POWERS[scale];
        return negative ? -v : v;
    }

    private static final double[] POWERS = new double[23];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    /**
     * {@code $body.pressure > limit} for a JSON body in UTF-8 (content type
     * {@code application/json}, encoding {@code utf-8}, as routing requires). The scan allocates
     * nothing; the one allocation is {@link Message#body()}'s copy of the body, which the
     * compiled condition makes too — the message's API has no view of the body that costs less
     * ({@link Message#bodyBuffer()} allocates two buffer objects, 112 B, that the JIT does not
     * remove).
     *
     * <p>The same work as the compiled condition, edgeHub's semantics included: values of
     * different kinds order as edgeHub's {@code QueryValueType} (undefined &lt; bool &lt; number
     * &lt; string &lt; null), so a string, a JSON {@code null} or a missing member is "above" any
     * number, a boolean below; an object, an array or a body that is no JSON object is undefined
     * (false). (A string holding a date, which edgeHub treats as undefined, is not singled out.)
     *
     * <p>Immutable and thread-safe.
     */
    static final class BodyPressure {
        private final double limit;

        /** A predicate {@code $body.pressure > limit}. */
        BodyPressure(double limit) {
            this.limit = limit;
        }

        /** Whether the condition holds for {@code m}. */
        boolean test(Message m) {
            if (!"application/json".equalsIgnoreCase(m.systemProperty("contentType"))
                    || !"utf-8".equalsIgnoreCase(m.systemProperty("contentEncoding"))) {
                return false;
            }
            byte[] b = m.body();
            int n = b.length;
            int at = topLevelValue(b, n, PRESSURE);
            if (at == MISSING) {
                return true; // null (missing) > number
            }
            if (at < 0) {
                return false; // not a JSON object: undefined
            }
            return switch (b[at]) {
                case '"', 'n' -> true; // string, null > number
                case 't', 'f', '{', '[' -> false; // bool < number; object, array: undefined
                default -> jsonNumber(b, n, at) > limit; // NaN (not a number) compares false
            };
        }
    }

    /** {@link #topLevelValue}: the object has no such member. */
    static final int MISSING = -1;
    /** {@link #topLevelValue}: the text is not a JSON object (as far as the scanner reads). */
    static final int NOT_AN_OBJECT = -2;

    /**
     * Where the value of the top-level member {@code key} (ASCII, no escapes) of the JSON object
     * in {@code b} starts, {@link #MISSING}, or {@link #NOT_AN_OBJECT}.
     */
    static int topLevelValue(byte[] b, int n, byte[] key) {
        int i = skipBlanks(b, n, 0);
        if (i >= n || b[i] != '{') {
            return NOT_AN_OBJECT;
        }
        i = skipBlanks(b, n, i + 1);
        if (i < n && b[i] == '}') {
            return MISSING;
        }
        while (true) {
            if (i >= n || b[i] != '"') {
                return NOT_AN_OBJECT;
            }
            int keyStart = i + 1;
            int keyEnd = endOfString(b, n, i);
            if (keyEnd < 0) {
                return NOT_AN_OBJECT;
            }
            i = skipBlanks(b, n, keyEnd + 1);
            if (i >= n || b[i] != ':') {
                return NOT_AN_OBJECT;
            }
            i = skipBlanks(b, n, i + 1);
            if (equals(b, n, keyStart, keyEnd, key)) {
                return i < n ? i : NOT_AN_OBJECT;
            }
            i = skipValue(b, n, i);
            if (i < 0) {
                return NOT_AN_OBJECT;
            }
            i = skipBlanks(b, n, i);
            if (i < n && b[i] == '}') {
                return MISSING;
            }
            if (i >= n || b[i] != ',') {
                return NOT_AN_OBJECT;
            }
            i = skipBlanks(b, n, i + 1);
        }
    }

    /** The number of the top-level member {@code key}, or {@code NaN} when it is absent or no number. */
    static double topLevelNumber(byte[] b, int n, byte[] key) {
        int at = topLevelValue(b, n, key);
        return at < 0 ? Double.NaN : jsonNumber(b, n, at);
    }

    private static boolean equals(byte[] b, int n, int from, int to, byte[] key) {
        if (to - from != key.length) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (b[from + k] != key[k]) {
                return false;
            }
        }
        return true;
    }

    private static int skipBlanks(byte[] b, int n, int i) {
        while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The index of the quote closing the string opening at {@code i}, or -1. */
    private static int endOfString(byte[] b, int n, int i) {
        for (int j = i + 1; j < n; j++) {
            if (b[j] == '\\') {
                j++;
            } else if (b[j] == '"') {
                return j;
            }
        }
        return -1;
    }

    /** The index after the value starting at {@code i} (string, object, array or scalar), or -1. */
    private static int skipValue(byte[] b, int n, int i) {
        if (i >= n) {
            return -1;
        }
        byte first = b[i];
        if (first == '"') {
            int end = endOfString(b, n, i);
            return end < 0 ? -1 : end + 1;
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            for (int j = i; j < n; j++) {
                byte c = b[j];
                if (c == '"') {
                    j = endOfString(b, n, j);
                    if (j < 0) {
                        return -1;
                    }
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    if (--depth == 0) {
                        return j + 1;
                    }
                }
            }
            return -1;
        }
        int j = i;
        while (j < n) {
            byte c = b[j];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                break;
            }
            j++;
        }
        return j == i ? -1 : j;
    }

    /** The JSON number at {@code i}, or {@code NaN} when the value there is not a number. */
    private static double jsonNumber(byte[] b, int n, int i) {
        int end = skipValue(b, n, i);
        if (end < 0) {
            return Double.NaN;
        }
        double v = plainDecimal(b, n, i, end);
        if (!Double.isNaN(v)) {
            return v;
        }
        // an exponent or a long mantissa: rare, so exactness over allocation
        try {
            return Double.parseDouble(new String(b, i, end - i, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
