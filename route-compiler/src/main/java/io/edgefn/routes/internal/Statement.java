package io.edgefn.routes.internal;

import io.edgefn.routes.Diagnostic;
import io.edgefn.routes.Sink;

/**
 * A compiled route statement: canonical source, condition and sink, with the positions needed to
 * report deployment-level problems against the route text. Immutable.
 */
public final class Statement {

    private final SourceText text;
    private final ParsedRoute parsed;
    private final String canonicalSource;
    private final Condition condition;
    private final Sink sink;

    Statement(SourceText text, ParsedRoute parsed, Condition condition, Sink sink) {
        this.text = text;
        this.parsed = parsed;
        this.canonicalSource = Sources.canonical(parsed.sourceText());
        this.condition = condition;
        this.sink = sink;
    }

    /** The canonical source ({@code /messages/modules/m/}). */
    public String canonicalSource() {
        return canonicalSource;
    }

    /** The compiled condition. */
    public Condition condition() {
        return condition;
    }

    /** The condition's text, or {@code true} without WHERE. */
    public String conditionText() {
        return parsed.conditionText();
    }

    /** The sink. */
    public Sink sink() {
        return sink;
    }

    /** A diagnostic about the sink, positioned on it. */
    public Diagnostic sinkDiagnostic(Diagnostic.Severity severity, String message) {
        return text.diagnostic(severity, Diagnostic.Phase.SINK, message, parsed.sinkStart(), parsed.sinkEnd());
    }

    /** A diagnostic about the source, positioned on it. */
    public Diagnostic sourceDiagnostic(Diagnostic.Severity severity, String message) {
        return text.diagnostic(severity, Diagnostic.Phase.SINK, message, parsed.sourceStart(), parsed.sourceEnd());
    }
}
