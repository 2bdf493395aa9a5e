package io.edgefn.routes;

import io.edgefn.routes.internal.Printable;

import java.util.Objects;

/**
 * A problem found in a route: an error that stops it compiling, or a warning about a route that
 * probably does not do what its author meant.
 *
 * @param severity  error or warning
 * @param routeName the route's name as the deployment gives it, or {@code null} for a lone condition
 * @param phase     which part of the route it is about
 * @param message   what is wrong, for a person; any control character in it (from route text it
 *                  quotes) is escaped as {@code \}{@code u001b}, so it is safe to print
 * @param line      1-based line of the first character
 * @param column    1-based column of the first character
 * @param endLine   1-based line of the end
 * @param endColumn 1-based column just after the last character (exclusive)
 */
public record Diagnostic(Severity severity, String routeName, Phase phase, String message,
                         int line, int column, int endLine, int endColumn) {

    /** How bad a diagnostic is. */
    public enum Severity {
        /** The route cannot be compiled. */
        ERROR,
        /** The route compiles but is probably not what was meant. */
        WARNING
    }

    /** The part of a route a diagnostic is about. */
    public enum Phase {
        /** The text does not follow the grammar. */
        SYNTAX,
        /** The sink (or the source's relation to the deployment) is wrong. */
        SINK,
        /** The condition does not type-check, or is suspicious. */
        CONDITION
    }

    /** Checks the fields and escapes control characters in the message. */
    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(phase, "phase");
        message = Printable.escape(Objects.requireNonNull(message, "message"));
        if (line < 1 || column < 1 || endLine < line || (endLine == line && endColumn < column)) {
            throw new IllegalArgumentException("bad position " + line + ":" + column + "-" + endLine + ":" + endColumn
                    + " for diagnostic: " + message);
        }
    }

    /** This diagnostic with {@code name} as its route name. */
    public Diagnostic withRouteName(String name) {
        return new Diagnostic(severity, name, phase, message, line, column, endLine, endColumn);
    }

    /**
     * The diagnostic as one line: {@code route 'name' line:col: message} (warnings say so), with
     * control characters in the route name escaped.
     */
    @Override
    public String toString() {
        String where = routeName == null ? "" : "route '" + Printable.escape(routeName) + "' ";
        String kind = severity == Severity.WARNING ? "warning: " : "";
        return where + line + ":" + column + ": " + kind + message;
    }
}
