package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link BodyPlan#extract}: a scanner over a UTF-8 body's bytes for strict JSON
 * only — a top-level object, double-quoted ASCII member names without escapes, standard numbers,
 * {@code true}/{@code false}/{@code null}, the four JSON white-space characters, nesting up to
 * {@value #DEEPEST} — that skips everything off the plan's paths without building strings and
 * reads the values on them as Jackson's tree would. It gives up (and the caller asks Jackson) at
 * the first thing outside that subset: Newtonsoft-style leniency (single quotes, unquoted names,
 * comments, trailing commas, {@code NaN}, {@code .5}), a name with escapes or non-ASCII bytes, a
 * string value on a path with escapes or non-ASCII bytes, an integer on a path of more than 18
 * digits, a number of more than 1,000 characters, a BOM, and anything malformed. So whatever it
 * accepts, Jackson reads the same way; whatever it doubts, Jackson decides. Reusable for one body
 * after another (an {@link EvalContext} keeps one, so scanning allocates nothing); owned by one
 * thread.
 */
final class BodyScan {

    /** Deeper bodies are left to Jackson (whose nesting limit is 1,000). */
    static final int DEEPEST = 100;
    private static final int LONGEST_NUMBER = 1_000;

    private static final double[] POWERS = new double[23];

    static {
        POWERS[0] = 1;
        for (int k = 1; k < POWERS.length; k++) {
            POWERS[k] = POWERS[k - 1] * 10;
        }
    }

    /** Thrown to give the body up to Jackson; preallocated, without a stack trace. */
    private static final class GiveUp extends RuntimeException {
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super(null, null, false, false);
        }
    }

    private byte[] b;
    private int n;
    private Object[] values;
    private int i;

    /** A scanner, ready for {@link #scan}. */
    BodyScan() {
    }

    /** {@link #scan} with a new scanner. */
    static boolean scanOnce(byte[] b, BodyPlan.Step root, Object[] values, int size) {
        return new BodyScan().scan(b, root, values, size);
    }

    /**
     * Fills {@code values[0, size)} with the value of every path under {@code root} in {@code b};
     * {@code false} (values meaningless) when the body is outside the strict subset.
     */
    boolean scan(byte[] body, BodyPlan.Step root, Object[] into, int size) {
        this.b = body;
        this.n = body.length;
        this.values = into;
        this.i = 0;
        try {
            space();
            if (i >= n || b[i] != '{') {
                return false;
            }
            Arrays.fill(values, 0, size, Qv.MISSING);
            object(root, 1);
            space();
            return i == n;
        } catch (GiveUp | ArrayIndexOutOfBoundsException e) {
            return false;
        } finally {
            this.b = null; // keep no message alive
            this.values = null;
        }
    }

    private static GiveUp giveUp() {
        return GiveUp.INSTANCE;
    }

    private void space() {
        while (i < n) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    private byte peek() {
        if (i >= n) {
            throw giveUp();
        }
        return b[i];
    }

    /** An object at {@code b[i] == '{'}; {@code step} (or {@code null}: skip all) names the members on paths. */
    private void object(BodyPlan.Step step, int depth) {
        if (depth > DEEPEST) {
            throw giveUp();
        }
        i++;
        space();
        if (peek() == '}') {
            i++;
            return;
        }
        while (true) {
            if (peek() != '"') {
                throw giveUp();
            }
            int from = ++i;
            while (true) {
                byte c = peek();
                if (c == '"') {
                    break;
                }
                if (c == '\\' || c < 0x20) { // also every byte >= 0x80, negative as a byte
                    throw giveUp();
                }
                i++;
            }
            int to = i++;
            space();
            if (peek() != ':') {
                throw giveUp();
            }
            i++;
            space();
            BodyPlan.Step child = step == null ? null : step.field(b, from, to);
            if (child == null) {
                skip(depth);
            } else {
                value(child, depth);
            }
            space();
            byte c = peek();
            i++;
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw giveUp();
            }
            space();
        }
    }

    /** An array at {@code b[i] == '['}; {@code step} (or {@code null}: skip all) names the elements on paths. */
    private void array(BodyPlan.Step step, int depth) {
        if (depth > DEEPEST) {
            throw giveUp();
        }
        i++;
        space();
        if (peek() == ']') {
            i++;
            return;
        }
        int index = 0;
        while (true) {
            BodyPlan.Step child = step == null ? null : step.element(index);
            index++;
            if (child == null) {
                skip(depth);
            } else {
                value(child, depth);
            }
            space();
            byte c = peek();
            i++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw giveUp();
            }
            space();
        }
    }

    /** A value off every path, at {@code b[i]}. */
    private void skip(int depth) {
        byte c = peek();
        switch (c) {
            case '{' -> object(null, depth + 1);
            case '[' -> array(null, depth + 1);
            case '"' -> skipString();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number(false);
        }
    }

    /** A value on a path, at {@code b[i]}: decides the slots of {@code step} and those below it afresh. */
    private void value(BodyPlan.Step step, int depth) {
        for (int slot : step.below) {
            values[slot] = Qv.MISSING; // a duplicate member replaces the earlier one whole, as in the tree
        }
        int slot = step.slot;
        byte c = peek();
        Object v;
        switch (c) {
            case '{' -> {
                v = Qv.UNDEFINED;
                object(step.names.length == 0 ? null : step, depth + 1);
            }
            case '[' -> {
                v = Qv.UNDEFINED;
                array(step.lastIndex < 0 ? null : step, depth + 1);
            }
            case '"' -> v = slot >= 0 ? string() : skipStringValue();
            case 't' -> {
                literal("true");
                v = BooleanNode.TRUE;
            }
            case 'f' -> {
                literal("false");
                v = BooleanNode.FALSE;
            }
            case 'n' -> {
                literal("null");
                v = NullNode.getInstance();
            }
            default -> v = number(slot >= 0);
        }
        if (slot >= 0) {
            values[slot] = v;
        }
    }

    private Object skipStringValue() {
        skipString();
        return null;
    }

    /** A string at {@code b[i] == '"'}, not decoded: escapes checked as Jackson checks them. */
    private void skipString() {
        i++;
        while (true) {
            byte c = peek();
            if (c == '"') {
                i++;
                return;
            }
            if (c == '\\') {
                i++;
                byte e = peek();
                if (e == 'u') {
                    for (int k = 1; k <= 4; k++) {
                        if (i + k >= n || Character.digit(b[i + k], 16) < 0) {
                            throw giveUp();
                        }
                    }
                    i += 4;
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    throw giveUp();
                }
            } else if (c >= 0 && c < 0x20) {
                throw giveUp();
            }
            i++;
        }
    }

    /** A string on a path, at {@code b[i] == '"'}: plain ASCII only (else Jackson decodes it). */
    private Object string() {
        int from = ++i;
        while (true) {
            byte c = peek();
            if (c == '"') {
                break;
            }
            if (c == '\\' || c < 0x20) { // also every byte >= 0x80
                throw giveUp();
            }
            i++;
        }
        String s = new String(b, from, i - from, StandardCharsets.ISO_8859_1);
        i++;
        return JsonBody.looksLikeDate(s) ? Qv.UNDEFINED : TextNode.valueOf(s);
    }

    private void literal(String word) {
        int len = word.length();
        if (i + len > n) {
            throw giveUp();
        }
        for (int k = 0; k < len; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw giveUp();
            }
        }
        i += len;
        end();
    }

    /** After a number or a literal: white space, {@code , } ]} or the end; anything else is Jackson's to judge. */
    private void end() {
        if (i < n) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != ',' && c != '}' && c != ']') {
                throw giveUp();
            }
        }
    }

    /** A standard JSON number at {@code b[i]}; its tree node when {@code read}, else {@code null}. */
    private Object number(boolean read) {
        int from = i;
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        byte c = peek();
        if (c == '0') {
            i++;
            digits = 1;
            if (i < n && b[i] >= '0' && b[i] <= '9') {
                throw giveUp(); // a leading zero
            }
        } else if (c >= '1' && c <= '9') {
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                mantissa = mantissa * 10 + (b[i] - '0');
                digits++;
                i++;
            }
        } else {
            throw giveUp();
        }
        int intDigits = digits;
        int scale = 0;
        boolean fraction = false;
        boolean exponent = false;
        if (i < n && b[i] == '.') {
            fraction = true;
            i++;
            int start = i;
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                if (digits <= 18) {
                    mantissa = mantissa * 10 + (b[i] - '0');
                }
                digits++;
                scale++;
                i++;
            }
            if (i == start) {
                throw giveUp();
            }
        }
        if (i < n && (b[i] == 'e' || b[i] == 'E')) {
            exponent = true;
            i++;
            if (i < n && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int start = i;
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == start) {
                throw giveUp();
            }
        }
        end();
        if (i - from > LONGEST_NUMBER) {
            throw giveUp(); // Jackson's limit: the tree refuses the body
        }
        if (!read) {
            return null;
        }
        if (!fraction && !exponent) {
            if (intDigits > 18) {
                throw giveUp(); // a long or a BigInteger: Jackson decides which
            }
            long v = negative ? -mantissa : mantissa;
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
        }
        double d;
        if (!exponent && digits <= 15 && scale < POWERS.length) {
            d = mantissa / POWERS[scale]; // both exact: one correctly rounded division, Double.parseDouble's value
            d = negative ? -d : d;
        } else {
            d = Double.parseDouble(new String(b, from, i - from, StandardCharsets.ISO_8859_1));
        }
        return DoubleNode.valueOf(d);
    }
}
