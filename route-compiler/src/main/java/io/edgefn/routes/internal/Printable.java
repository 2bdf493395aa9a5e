package io.edgefn.routes.internal;

/**
 * Text made safe to print on a terminal or in a log: route names, route text and message values
 * are the deployment's and the devices' to choose, and an escape sequence (ESC {@code [2J}), a
 * carriage return or a newline in one would repaint an operator's terminal or forge a log line.
 * Every control character (C0, DEL, C1), line and paragraph separator and invisible format
 * character (bidirectional overrides, zero-width characters) becomes {@code \}{@code uXXXX}; the
 * rest is kept as it is. Backslashes are not doubled: the result is for reading, not for parsing
 * back. Stateless.
 */
public final class Printable {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    /** {@code text} with every unprintable character escaped as {@code \}{@code uXXXX}; {@code null} stays {@code null}. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnprintable(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unprintable(c)) {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstUnprintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unprintable(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unprintable(char c) {
        if (c >= 0x20 && c < 0x7F) {
            return false;
        }
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT;
    }
}
