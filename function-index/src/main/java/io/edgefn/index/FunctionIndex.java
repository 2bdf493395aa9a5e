package io.edgefn.index;

import io.edgefn.index.json.LocatedJson;
import io.edgefn.index.json.Position;
import io.edgefn.index.json.Problem;
import io.edgefn.index.json.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * A function package's index ({@code META-INF/edgefn/functions.json}): every function, its
 * triggers, inputs, outputs and parameter bindings, read without loading any of the package's
 * classes. The format is docs/function-index.md; the annotation processor writes it with
 * {@link #toJson}, the host reads it with {@link #parse}. Immutable.
 *
 * <p>{@link #parse} checks the index whole, including that each function's inputs and outputs are
 * the union of its methods' and that each binding fits its parameter's type, so the host can wire
 * routes from it without further checks.
 *
 * <p>This module is the only code that knows the format. It depends on Jackson alone, so that the
 * annotation processor can run it inside javac.
 *
 * @param format    the index format, always {@link #FORMAT}
 * @param functions the functions, in index order, with unique names
 */
public record FunctionIndex(int format, List<FunctionDescriptor> functions) {

    /** The only index format this reader knows. */
    public static final int FORMAT = 1;

    /** Where a function package holds its index. */
    public static final String RESOURCE = "META-INF/edgefn/functions.json";

    /** The largest index read, in bytes: far more than any real package needs, far less than a zip bomb. */
    public static final int MAX_BYTES = 1 << 20;

    /**
     * Makes the list immutable.
     *
     * @throws IllegalArgumentException when {@code format} is not {@link #FORMAT}
     */
    public FunctionIndex {
        if (format != FORMAT) {
            throw new IllegalArgumentException("index format " + format + " is not " + FORMAT);
        }
        functions = List.copyOf(functions);
    }

    /**
     * Reads and checks an index.
     *
     * @param in     the index's bytes (UTF-8 JSON, at most {@link #MAX_BYTES}); read to the end, not closed
     * @param origin where it came from, for messages, e.g. {@code pump.jar!/META-INF/edgefn/functions.json}
     * @throws IndexException listing every problem, with its JSON location and line and column
     */
    public static FunctionIndex parse(InputStream in, String origin) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(origin, "origin");
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new IndexException(origin, "cannot read the function index " + origin + ": " + e.getMessage(),
                    List.of(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IndexException(origin, "the function index " + origin + " is larger than " + MAX_BYTES
                    + " bytes; it cannot be an index the processor wrote", List.of(), null);
        }
        LocatedJson json;
        try {
            json = LocatedJson.parse(bytes);
        } catch (LocatedJson.SyntaxException e) {
            Position p = e.position();
            throw IndexException.invalid(origin, List.of(new Problem("", p.line(), p.column(), "malformed JSON: " + e.getMessage())));
        }
        Problems problems = new Problems(json);
        FunctionIndex index = new IndexReader(problems).read(json.root());
        if (!problems.isEmpty()) {
            throw IndexException.invalid(origin, problems.sorted());
        }
        return index;
    }

    /**
     * This index as the JSON text a package holds: keys in the documented order, functions in this
     * index's order, indented, ending in a newline. The same index always gives the same text, and
     * {@link #parse} reads it back equal to this one.
     */
    public String toJson() {
        return IndexWriter.render(this);
    }

    /** The function called {@code name}, or {@code null}. */
    public FunctionDescriptor function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }
}
