package io.edgefn.routes.internal;

import io.edgefn.api.LogText;

/**
 * Text made safe to print on a terminal or in a log: route names, route text and message values
 * are the deployment's and the devices' to choose, and an escape sequence (ESC {@code [2J}), a
 * carriage return or a newline in one would repaint an operator's terminal or forge a log line.
 * Every control character (C0, DEL, C1), line and paragraph separator and invisible format
 * character (bidirectional overrides, zero-width characters) is escaped ({@code \n}, {@code \r},
 * {@code \t}, else {@code \}{@code uXXXX}); the rest is kept as it is. Backslashes are not doubled: the result is for reading, not for parsing
 * back. Stateless.
 */
public final class Printable {

    private Printable() {
    }

    /**
     * {@code text} with every unprintable character escaped, as {@link LogText#escape} does it
     * (one rule for the whole host's output); {@code null} stays {@code null}.
     */
    public static String escape(String text) {
        return text == null ? null : LogText.escape(text);
    }
}
