package io.edgefn.api;

/**
 * Text from outside the gateway made safe to print: a device id, a serial payload, a route name
 * or a message property in a log line or on a terminal. Control characters (C0, DEL and C1,
 * among them ESC, which starts terminal escape sequences), line and paragraph separators and the
 * invisible format characters (bidirectional marks and overrides, zero-width space, BOM) are written as escapes ({@code \n}, {@code \r}, {@code \t},
 * else <code>&#92;u001b</code> and the like), so such text can neither forge a log line, nor hide
 * part of one, nor drive the terminal that shows it. Everything else, non-ASCII letters included,
 * is kept.
 *
 * <p>The escaping is for display only and is not reversible: a backslash already in the text is
 * kept as it is. The host escapes what it logs from outside; a function that logs text from a
 * message or a device can do the same.
 *
 * <p>Stateless and thread-safe.
 */
public final class LogText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String CUT = "…";

    private LogText() {
    }

    /**
     * {@code text} with every character that could act on a terminal or a log written as an
     * escape; {@code "null"} for null. Returns {@code text} itself (as a string) when nothing
     * needs escaping.
     */
    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int first = firstUnsafe(text, 0, text.length());
        if (first < 0) {
            return text.toString();
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        out.append(text, 0, first);
        appendEscaped(out, text, first, text.length());
        return out.toString();
    }

    /**
     * At most the first {@code maxChars} characters of {@code text}, escaped as by
     * {@link #escape}, followed by "…" when the text was longer; {@code "null"} for null. A
     * surrogate pair is never cut in half.
     *
     * @throws IllegalArgumentException when {@code maxChars} is negative
     */
    public static String preview(CharSequence text, int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must be 0 or more, was " + maxChars);
        }
        if (text == null) {
            return "null";
        }
        if (text.length() <= maxChars) {
            return escape(text);
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end + 16);
        appendEscaped(out, text, 0, end);
        return out.append(CUT).toString();
    }

    private static int firstUnsafe(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                continue; // printable ASCII: the common case, decided without a table look-up
            }
            if (unsafe(text, i, to)) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                i++; // a valid pair (unsafe() said so): skip its low half
            }
        }
        return -1;
    }

    private static void appendEscaped(StringBuilder out, CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!unsafe(text, i, to)) {
                out.append(c);
                if (Character.isHighSurrogate(c)) {
                    out.append(text.charAt(++i));
                }
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                        .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            }
        }
    }

    /** Whether the character at {@code i} (before {@code to}) must be escaped. */
    private static boolean unsafe(CharSequence text, int i, int to) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= to || !Character.isLowSurrogate(text.charAt(i + 1)); // a lone half
        }
        if (Character.isLowSurrogate(c)) {
            return true; // a low half not preceded by a high one (pairs are skipped whole)
        }
        int type = Character.getType(c);
        // FORMAT covers the bidirectional marks and overrides and the invisible ones (zero-width
        // space, BOM) that could hide part of a line.
        return type == Character.CONTROL || type == Character.FORMAT || c == '\u2028' || c == '\u2029';
    }
}
