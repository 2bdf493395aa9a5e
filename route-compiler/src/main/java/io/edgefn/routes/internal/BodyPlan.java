package io.edgefn.routes.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code $body} paths that a set of conditions reads, compiled into a trie so that one pass of
 * Jackson's streaming parser over a message's body finds all their values without building a
 * tree: members and elements off every path are skipped ({@code skipChildren()} for nested
 * values, strings never decoded), and only the values at the paths become {@link Qv} values.
 * Immutable and thread-safe; the per-message values live in the {@link EvalContext}.
 *
 * <p>The pass is made by {@link BodyScan}, a byte scanner for strict JSON, and, when that gives
 * up, by Jackson's streaming parser ({@link #stream}).
 *
 * <p>The values are exactly those {@link BodyPath#select} finds in {@link JsonBody#parse}'s tree,
 * with the same undefined rules. The pass reads the whole body, not only up to the last path,
 * because a later duplicate member replaces an earlier one in the tree (the last one wins) and a
 * malformed tail, or trailing tokens, make the whole body unreadable. Whenever the streaming pass
 * cannot show that the tree would have been read the same way — a body not marked as JSON in
 * UTF-8, a top-level value that is not an object, any parser error, a number longer than the
 * reader's limit that the pass skipped (Jackson checks a number's length only when its value is
 * read), a body long enough to hold a string beyond the string limit — {@link #extract} reports
 * {@code false} and the context falls back to the tree, which then decides, and words the problem,
 * exactly as before.
 */
public final class BodyPlan {

    /** No paths: conditions that do not read the body. */
    static final BodyPlan EMPTY = new BodyPlan(List.of());

    /**
     * A body at least this long may hold a string beyond {@link JsonBody#LIMITS}' string limit,
     * which the streaming pass does not check for strings it skips: such bodies take the tree.
     */
    private static final int LONGEST_STREAMED_BODY = 20_000_000;
    private static final int LONGEST_NUMBER = 1_000;

    private final Step root = new Step();
    private final IdentityHashMap<BodyPath, Integer> slots = new IdentityHashMap<>();
    private final int size;

    private BodyPlan(Collection<BodyPath> paths) {
        Map<String, Integer> byText = new HashMap<>();
        int next = 0;
        for (BodyPath path : paths) {
            if (slots.containsKey(path)) {
                continue;
            }
            String key = key(path);
            Integer slot = byText.get(key);
            if (slot == null) {
                slot = next++;
                byText.put(key, slot);
                Step step = root;
                for (int i = 0; i < path.length(); i++) {
                    step = step.fields.computeIfAbsent(path.name(i), n -> new Step());
                    if (path.index(i) >= 0) {
                        step = step.elements.computeIfAbsent(path.index(i), n -> new Step());
                    }
                }
                step.slot = slot;
            }
            slots.put(path, slot);
        }
        size = next;
        root.seal();
    }

    /** The plan for every {@code $body} path that {@code conditions} read. */
    public static BodyPlan of(Collection<Condition> conditions) {
        List<BodyPath> paths = new ArrayList<>();
        for (Condition c : conditions) {
            paths.addAll(c.bodyPaths());
        }
        return paths.isEmpty() ? EMPTY : new BodyPlan(paths);
    }

    static BodyPlan ofPaths(Collection<BodyPath> paths) {
        return paths.isEmpty() ? EMPTY : new BodyPlan(paths);
    }

    private static String key(BodyPath path) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            b.append(path.name(i)).append('\u0000').append(path.index(i)).append('\u0000');
        }
        return b.toString();
    }

    /** The root of the path trie. */
    Step root() {
        return root;
    }

    /** How many distinct paths (value slots) the plan has. */
    int size() {
        return size;
    }

    /** The slot of {@code path} in {@link #extract}'s values, or -1 when the plan does not hold it. */
    int slotOf(BodyPath path) {
        Integer slot = slots.get(path);
        return slot == null ? -1 : slot;
    }

    /**
     * Fills {@code values} (of at least {@link #size()} entries) with the value at every path of
     * the plan in {@code bytes}, a body marked as JSON in UTF-8. Returns {@code false} — leaving
     * {@code values} meaningless — when the tree must decide (see the class comment); never throws.
     */
    boolean extract(byte[] bytes, Object[] values) {
        return extract(bytes, values, new BodyScan());
    }

    /** {@link #extract(byte[], Object[])} with a caller's reusable {@code scanner}. */
    boolean extract(byte[] bytes, Object[] values, BodyScan scanner) {
        if (size == 0) {
            return false;
        }
        if (bytes.length >= LONGEST_STREAMED_BODY) {
            return false;
        }
        return scanner.scan(bytes, root, values, size) || stream(bytes, values);
    }

    /** {@link #extract} with Jackson's streaming parser, for the bodies {@link BodyScan} leaves. */
    boolean stream(byte[] bytes, Object[] values) {
        try (JsonParser p = JsonBody.parser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            Arrays.fill(values, 0, size, Qv.MISSING);
            if (!object(p, root, values)) {
                return false;
            }
            return p.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The members of an object whose start was just read, up to its end. */
    private static boolean object(JsonParser p, Step step, Object[] values) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            Step child = step.fields.get(p.currentName());
            t = p.nextToken();
            if (!(child == null ? skip(p, t) : value(p, t, child, values))) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    /** The elements of an array whose start was just read, up to its end. */
    private static boolean array(JsonParser p, Step step, Object[] values) throws IOException {
        JsonToken t;
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                return false;
            }
            Step child = i <= step.lastIndex ? step.elements.get(i) : null;
            i++;
            if (!(child == null ? skip(p, t) : value(p, t, child, values))) {
                return false;
            }
        }
        return true;
    }

    /** A value off every path. */
    private static boolean skip(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            return false;
        }
        if (t.isStructStart()) {
            p.skipChildren();
            return true;
        }
        return !t.isNumeric() || p.getTextLength() <= LONGEST_NUMBER;
    }

    /** A value on a path: at {@code step}, whose slots (and those below it) it decides afresh. */
    private static boolean value(JsonParser p, JsonToken t, Step step, Object[] values) throws IOException {
        if (t == null) {
            return false;
        }
        for (int slot : step.below) {
            values[slot] = Qv.MISSING; // a duplicate member replaces the earlier one whole, as in the tree
        }
        if (step.slot >= 0) {
            Object v = scalar(p, t);
            if (v == null) {
                return false;
            }
            values[step.slot] = v;
        }
        if (t == JsonToken.START_OBJECT) {
            if (step.fields.isEmpty()) {
                p.skipChildren();
                return true;
            }
            return object(p, step, values);
        }
        if (t == JsonToken.START_ARRAY) {
            if (step.elements.isEmpty()) {
                p.skipChildren();
                return true;
            }
            return array(p, step, values);
        }
        return !t.isNumeric() || p.getTextLength() <= LONGEST_NUMBER;
    }

    /**
     * The current token as {@link BodyPath#select} returns the tree's node for it (the same node
     * kinds as Jackson's tree deserializer makes), or {@code null} when the tree must decide.
     */
    private static Object scalar(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_NUMBER_INT:
                if (p.getTextLength() > LONGEST_NUMBER) {
                    return null;
                }
                return switch (p.getNumberType()) {
                    case INT -> IntNode.valueOf(p.getIntValue());
                    case LONG -> LongNode.valueOf(p.getLongValue());
                    default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT: {
                if (p.getTextLength() > LONGEST_NUMBER) {
                    return null;
                }
                double d = p.getDoubleValue();
                return Double.isNaN(d) ? Qv.UNDEFINED : DoubleNode.valueOf(d);
            }
            case VALUE_STRING: {
                String s = p.getText();
                return JsonBody.looksLikeDate(s) ? Qv.UNDEFINED : TextNode.valueOf(s);
            }
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.getInstance();
            case START_OBJECT:
            case START_ARRAY:
                return Qv.UNDEFINED;
            default:
                return null;
        }
    }

    /** A node of the trie: the members and elements on some path below it, and the slot of a path ending here. */
    static final class Step {
        final Map<String, Step> fields = new HashMap<>();
        /** {@code fields}' names in UTF-8 and their steps, side by side, for {@link BodyScan}. */
        byte[][] names;
        Step[] steps;
        final Map<Integer, Step> elements = new HashMap<>();
        int slot = -1;
        /** The largest index in {@code elements}, -1 when there is none. */
        int lastIndex = -1;
        /** The slots of this step and every step below it. */
        int[] below;

        /** The member step named by {@code b[from, to)}, or {@code null}. */
        Step field(byte[] b, int from, int to) {
            int len = to - from;
            for (int k = 0; k < names.length; k++) {
                byte[] name = names[k];
                if (name.length == len && Arrays.equals(name, 0, len, b, from, to)) {
                    return steps[k];
                }
            }
            return null;
        }

        /** The element step for index {@code i}, or {@code null}. */
        Step element(int i) {
            return i <= lastIndex ? elements.get(i) : null;
        }

        int[] seal() {
            List<Integer> all = new ArrayList<>();
            if (slot >= 0) {
                all.add(slot);
            }
            for (Step s : fields.values()) {
                for (int x : s.seal()) {
                    all.add(x);
                }
            }
            for (Step s : elements.values()) {
                for (int x : s.seal()) {
                    all.add(x);
                }
            }
            names = new byte[fields.size()][];
            steps = new Step[fields.size()];
            int k = 0;
            for (Map.Entry<String, Step> e : fields.entrySet()) {
                names[k] = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                steps[k++] = e.getValue();
            }
            lastIndex = elements.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
            below = all.stream().mapToInt(Integer::intValue).toArray();
            return below;
        }
    }
}
