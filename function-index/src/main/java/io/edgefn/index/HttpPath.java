package io.edgefn.index;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The path of an HTTP trigger, relative to its function: literal segments and whole-segment
 * parameters in braces ({@code "state/{pumpId}"}). One definition for the processor, the index
 * reader and the host's matcher. Immutable and thread-safe.
 */
public final class HttpPath {

    /** What a path may be: the rule the processor and the index reader apply. */
    public static final String RULE = "segments of letters, digits, '-', '_', '.' and '~' separated by '/', a whole"
            + " segment '{name}' being a parameter (name: a letter, then letters, digits or '_'), no leading or"
            + " trailing '/', at most 512 characters";

    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    private final String text;
    /** Each segment: its literal text, or {@code null} for a parameter. */
    private final List<String> literals;
    /** Each segment's parameter name, or {@code null} for a literal. */
    private final List<String> names;

    private HttpPath(String text, List<String> literals, List<String> names) {
        this.text = text;
        this.literals = literals;
        this.names = names;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong and where, when it breaks {@link #RULE}
     *                                  or names a parameter twice
     */
    public static HttpPath parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("the path is missing");
        }
        if (text.length() > 512) {
            throw new IllegalArgumentException("the path has " + text.length() + " characters; at most 512");
        }
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (text.isEmpty()) {
            return new HttpPath(text, List.of(), List.of());
        }
        if (text.startsWith("/") || text.endsWith("/")) {
            throw new IllegalArgumentException("path \"" + text + "\" starts or ends with '/': it is relative to"
                    + " /fn/<function>/, e.g. \"state/{pumpId}\"");
        }
        Set<String> seen = new HashSet<>();
        String[] segments = text.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            var parameter = PARAMETER.matcher(s);
            if (parameter.matches()) {
                if (!seen.add(parameter.group(1))) {
                    throw new IllegalArgumentException("path \"" + text + "\" names parameter {" + parameter.group(1)
                            + "} twice: each parameter has its own name");
                }
                literals.add(null);
                names.add(parameter.group(1));
            } else if (LITERAL.matcher(s).matches()) {
                literals.add(s);
                names.add(null);
            } else {
                throw new IllegalArgumentException("path \"" + text + "\" has " + (s.isEmpty() ? "an empty segment"
                        : "segment \"" + s + "\"") + " (segment " + (i + 1) + "), which is neither a literal nor a"
                        + " whole {name}: a path is " + RULE);
            }
        }
        return new HttpPath(text, java.util.Collections.unmodifiableList(literals), java.util.Collections.unmodifiableList(names));
    }

    /** The path as written. */
    public String text() {
        return text;
    }

    /** Its parameter names, in order. */
    public List<String> parameters() {
        return names.stream().filter(n -> n != null).toList();
    }

    /** The path with every parameter written {@code {}}: two paths of one shape serve the same requests. */
    public String shape() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < literals.size(); i++) {
            b.append(i == 0 ? "" : "/").append(literals.get(i) == null ? "{}" : literals.get(i));
        }
        return b.toString();
    }

    /** How many literal segments it has: a request matching two paths goes to the one with more. */
    public int literalCount() {
        return (int) literals.stream().filter(l -> l != null).count();
    }

    /**
     * The parameters of a request whose path below the function is {@code segments} (decoded), or
     * {@code null} when it does not match.
     */
    public Map<String, String> match(List<String> segments) {
        if (segments.size() != literals.size()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String literal = literals.get(i);
            if (literal == null) {
                if (segments.get(i).isEmpty()) {
                    return null;
                }
                values.put(names.get(i), segments.get(i));
            } else if (!literal.equals(segments.get(i))) {
                return null;
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return text;
    }
}
