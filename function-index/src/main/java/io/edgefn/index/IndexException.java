package io.edgefn.index;

import io.edgefn.index.json.Problem;
import java.io.Serial;
import java.util.List;

/**
 * A function index that cannot be read: unreadable, too large, not JSON, or breaking the rules of
 * docs/function-index.md.
 *
 * <p>{@link #getMessage()} names the index and lists every problem found, each with its line,
 * column and JSON location; {@link #problems()} has them as data (empty when the index could not
 * be read at all).
 */
public final class IndexException extends RuntimeException {

    /** The version of this class's serialized form. */
    @Serial
    private static final long serialVersionUID = 1L;

    private final String origin;
    private final transient List<Problem> problems;

    IndexException(String origin, String message, List<Problem> problems, Throwable cause) {
        super(message, cause);
        this.origin = origin;
        this.problems = List.copyOf(problems);
    }

    /** An exception for the index {@code origin} with these problems, all listed in the message. */
    static IndexException invalid(String origin, List<Problem> problems) {
        StringBuilder s = new StringBuilder("function index ").append(origin).append(" is invalid (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(p -> s.append("\n  ").append(p));
        return new IndexException(origin, s.toString(), problems, null);
    }

    /** Where the index came from, as given to {@link FunctionIndex#parse}. */
    public String origin() {
        return origin;
    }

    /** Every problem of the index, in file order; empty when it could not be read at all. */
    public List<Problem> problems() {
        return problems;
    }
}
