package io.edgefn.deploy;

/**
 * Makes text from a document or a jar safe to print in a message: control characters, line and
 * paragraph separators and invisible format characters (such as right-to-left overrides) are
 * written as <code>&#92;u0000</code>-style escapes, so a name can neither break a message's lines nor
 * send escape sequences to a terminal. Everything else is kept as it is.
 *
 * <p>Stateless.
 */
final class Printable {

    private Printable() {}

    /** {@code text} with every unprintable character escaped; {@code null} stays {@code null}. */
    static String of(String text) {
        if (text == null || text.chars().noneMatch(Printable::unprintable)) {
            return text;
        }
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unprintable(c)) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** {@code path} as {@link #of(String)} prints it. */
    static String of(java.nio.file.Path path) {
        return of(path.toString());
    }

    private static boolean unprintable(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT;
    }
}
