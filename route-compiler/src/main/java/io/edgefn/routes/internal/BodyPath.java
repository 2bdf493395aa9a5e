package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code $body} path ({@code JsonPath.g4}: {@code ident ('.' ident)*}, each ident
 * optionally followed by one {@code [INT]}) and its lookup, as Newtonsoft's {@code SelectTokens}:
 * names match case-sensitively; a path that selects nothing is {@link Qv#MISSING}; objects,
 * arrays and date strings are undefined. Immutable.
 */
final class BodyPath {

    private static final String EXCLUDED = "()<>@,;:\\\"/[]?={}.";

    private final String[] names;
    private final int[] indexes;

    private BodyPath(String[] names, int[] indexes) {
        this.names = names;
        this.indexes = indexes;
    }

    /** Parses {@code path}; throws {@link IllegalArgumentException} saying what is wrong and where. */
    static BodyPath parse(String path) {
        List<String> names = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        int i = 0;
        int n = path.length();
        while (true) {
            int start = i;
            while (i < n && EXCLUDED.indexOf(path.charAt(i)) < 0 && !Scanner.isWhitespace(path.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException(i < n
                        ? "a name is expected at position " + (i + 1) + " of path '" + path + "' but found '" + path.charAt(i) + "'"
                        : "the path '" + path + "' ends where a name is expected");
            }
            names.add(path.substring(start, i));
            int index = -1;
            if (i < n && path.charAt(i) == '[') {
                int close = path.indexOf(']', i);
                String inside = close < 0 ? path.substring(i + 1) : path.substring(i + 1, close);
                if (close < 0 || inside.isEmpty() || !inside.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    throw new IllegalArgumentException("'[" + inside + (close < 0 ? "" : "]") + "' at position " + (i + 1)
                            + " of path '" + path + "' is not an array index: only [n] with a non-negative integer is "
                            + "supported (no quotes, wildcards, slices or filters)");
                }
                try {
                    index = Integer.parseInt(inside);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("array index [" + inside + "] of path '" + path + "' is too large", e);
                }
                i = close + 1;
            }
            indexes.add(index);
            if (i == n) {
                break;
            }
            if (path.charAt(i) != '.') {
                throw new IllegalArgumentException("unexpected '" + path.charAt(i) + "' at position " + (i + 1)
                        + " of path '" + path + "'");
            }
            i++;
        }
        return new BodyPath(names.toArray(String[]::new), indexes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** How many names the path has. */
    int length() {
        return names.length;
    }

    /** The {@code i}-th name. */
    String name(int i) {
        return names[i];
    }

    /** The array index after the {@code i}-th name, or -1 when there is none. */
    int index(int i) {
        return indexes[i];
    }

    /** The value at this path in {@code root}. */
    Object select(JsonNode root) {
        JsonNode node = root;
        for (int i = 0; i < names.length; i++) {
            node = node.isObject() ? node.get(names[i]) : null;
            if (node == null) {
                return Qv.MISSING;
            }
            if (indexes[i] >= 0) {
                node = node.isArray() ? node.get(indexes[i]) : null;
                if (node == null) {
                    return Qv.MISSING;
                }
            }
        }
        if (node.isNumber()) {
            return Double.isNaN(node.doubleValue()) ? Qv.UNDEFINED : node;
        }
        if (node.isTextual()) {
            return JsonBody.looksLikeDate(node.textValue()) ? Qv.UNDEFINED : node;
        }
        if (node.isBoolean() || node.isNull()) {
            return node;
        }
        return Qv.UNDEFINED;
    }
}
