package io.edgefn.js;

import java.util.List;

/**
 * A JavaScript function failed, or its declaration or package is wrong: the one exception type of
 * this module. {@link #problems()} lists each problem of a declaration, each with where it is.
 */
public final class JsException extends RuntimeException {

    private final List<String> problems;

    /** A failure with no list of problems. */
    public JsException(String message) {
        this(message, List.of(), null);
    }

    /** A failure caused by {@code cause}. */
    public JsException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    /** A failure listing {@code problems}, each already in the message. */
    public JsException(String message, List<String> problems, Throwable cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
    }

    /** The problems found, each with its place; empty for a failed invocation. */
    public List<String> problems() {
        return problems;
    }
}
