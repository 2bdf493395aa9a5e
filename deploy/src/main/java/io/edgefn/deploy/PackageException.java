package io.edgefn.deploy;

import io.edgefn.index.json.Problem;
import java.io.Serial;
import java.util.List;

/**
 * A function package that must not be loaded: not a jar, not the jar the deployment expects, no
 * or a bad function index, or bytecode that calls what could take the host down.
 *
 * <p>{@link #getMessage()} says which package and everything found wrong with it; the structured
 * parts are in {@link #problems()} (index problems, with their JSON locations) and
 * {@link #forbiddenCalls()}.
 */
public final class PackageException extends RuntimeException {

    /** The version of this class's serialized form. */
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;
    private final transient List<ForbiddenCall> forbiddenCalls;

    PackageException(String message) {
        this(message, List.of(), List.of(), null);
    }

    PackageException(String message, Throwable cause) {
        this(message, List.of(), List.of(), cause);
    }

    PackageException(String message, List<Problem> problems, List<ForbiddenCall> forbiddenCalls, Throwable cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
        this.forbiddenCalls = List.copyOf(forbiddenCalls);
    }

    /** The problems of the package's function index, with their locations; empty when it was not at fault. */
    public List<Problem> problems() {
        return problems;
    }

    /** The forbidden calls found in the package's bytecode; empty when it was not at fault. */
    public List<ForbiddenCall> forbiddenCalls() {
        return forbiddenCalls;
    }
}
