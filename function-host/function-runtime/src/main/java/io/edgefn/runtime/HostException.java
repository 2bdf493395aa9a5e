package io.edgefn.runtime;

import java.util.List;

/**
 * A host that cannot start (or a deployment it refuses): every problem found, each a sentence a
 * person can act on. Nothing of the refused deployment runs.
 */
public final class HostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** A failure listing {@code problems}, under the headline {@code summary}. */
    public HostException(String summary, List<String> problems) {
        super(summary + (problems.isEmpty() ? "" : ":\n  - " + String.join("\n  - ", problems)));
        this.problems = List.copyOf(problems);
    }

    /** A failure with one problem. */
    public HostException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** Every problem found. */
    public List<String> problems() {
        return problems;
    }
}
