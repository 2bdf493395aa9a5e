package io.edgefn.js;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** Turns a {@link PolyglotException} into one line a person can act on. Stateless. */
final class JsFailures {

    private JsFailures() {
    }

    /** {@code e}'s message and, for a JavaScript error, where it was thrown. */
    static String describe(PolyglotException e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        SourceSection at = e.getSourceLocation();
        if (at != null && at.getSource() != null) {
            s.append(" (at ").append(at.getSource().getName()).append(':').append(at.getStartLine()).append(':')
                    .append(at.getStartColumn()).append(')');
        }
        return s.toString();
    }
}
