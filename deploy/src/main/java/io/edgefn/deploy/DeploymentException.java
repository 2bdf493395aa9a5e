package io.edgefn.deploy;

import io.edgefn.index.json.Problem;
import java.io.Serial;
import java.util.List;

/**
 * A deployment document that cannot be used, with every problem found in it (not just the first).
 *
 * <p>{@link #getMessage()} lists them all, each with its file, line, column and JSON location, so
 * that printing the exception is enough for a person to fix the document. Control characters in
 * a problem's location or message (a key written as <code>"&#92;u0000"</code> in the document, say) are
 * shown escaped, there and in {@link #problems()}, so that no name from a document can break the
 * listing's lines or reach a terminal raw.
 */
public final class DeploymentException extends RuntimeException {

    /** The version of this class's serialized form. */
    @Serial
    private static final long serialVersionUID = 1L;

    private final String origin;
    private final transient List<Problem> problems;

    /**
     * An exception for the document called {@code origin} (a file name, for messages).
     *
     * @throws IllegalArgumentException when {@code problems} is empty
     */
    public DeploymentException(String origin, List<Problem> problems) {
        super(describe(Printable.of(origin), printable(problems)));
        this.origin = origin;
        this.problems = printable(problems);
    }

    /** Every problem, in document order as far as it is known. */
    public List<Problem> problems() {
        return problems;
    }

    /** The name of the document, as given to {@link Deployment#parse}. */
    public String origin() {
        return origin;
    }

    private static List<Problem> printable(List<Problem> problems) {
        return problems.stream()
                .map(p -> new Problem(Printable.of(p.location()), p.line(), p.column(), Printable.of(p.message())))
                .toList();
    }

    private static String describe(String origin, List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a DeploymentException needs at least one problem");
        }
        StringBuilder s = new StringBuilder("deployment ").append(origin).append(" is invalid (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (Problem p : problems) {
            s.append("\n  ").append(origin).append(p.line() > 0 ? ":" : ": ").append(p);
        }
        return s.toString();
    }
}
