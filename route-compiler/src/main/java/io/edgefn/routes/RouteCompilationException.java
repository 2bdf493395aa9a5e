package io.edgefn.routes;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when one or more routes do not compile; carries every error found, with positions. */
public final class RouteCompilationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;

    /** An exception listing {@code diagnostics} (at least one). */
    public RouteCompilationException(List<Diagnostic> diagnostics) {
        super(format(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Every diagnostic found, errors and warnings, in the order of the routes and their text. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String format(List<Diagnostic> diagnostics) {
        if (diagnostics.isEmpty()) {
            throw new IllegalArgumentException("a RouteCompilationException needs at least one diagnostic");
        }
        return diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
    }
}
