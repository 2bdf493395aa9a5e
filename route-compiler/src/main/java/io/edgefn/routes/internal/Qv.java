package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Runtime values of the dynamic type {@code QueryValue} (what {@code $body.…} yields), held as
 * plain objects so that reading a body value allocates nothing: a Jackson number, text, boolean
 * or null node, {@link #MISSING} (a path that selects nothing: edgeHub's {@code QueryValue.Null}
 * singleton) or {@link #UNDEFINED}. Stateless.
 *
 * <p>Values of different kinds order by edgeHub's {@code QueryValueType} enum:
 * None (undefined) &lt; Bool &lt; Double &lt; String &lt; Null.
 */
final class Qv {

    /** A path that selected nothing: type Null, but distinct from a JSON {@code null} for {@code is_null}. */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "null (missing)";
        }
    };

    /** An undefined body value (object, array, date string, bad body …). */
    static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    /** Compare result meaning "undefined". */
    static final int INCOMPARABLE = Integer.MIN_VALUE;

    private static final int NONE = 0;
    private static final int BOOL = 1;
    private static final int DOUBLE = 2;
    private static final int STRING = 3;
    private static final int NULL = 4;

    private Qv() {
    }

    static Object ofNumber(double d) {
        return Double.isNaN(d) ? UNDEFINED : DoubleNode.valueOf(d);
    }

    static Object ofString(String s) {
        if (s == Values.UNDEFINED_STRING) {
            return UNDEFINED;
        }
        return s == null ? NullNode.getInstance() : TextNode.valueOf(s);
    }

    static Object ofTri(int tri) {
        return tri == Tri.UNDEFINED ? UNDEFINED : BooleanNode.valueOf(tri > 0);
    }

    private static int kind(Object v) {
        if (v == UNDEFINED) {
            return NONE;
        }
        if (v == MISSING) {
            return NULL;
        }
        JsonNode n = (JsonNode) v;
        if (n.isBoolean()) {
            return BOOL;
        }
        if (n.isNumber()) {
            return DOUBLE;
        }
        if (n.isTextual()) {
            return STRING;
        }
        return n.isNull() ? NULL : NONE;
    }

    static boolean isDefined(Object v) {
        return v != UNDEFINED;
    }

    static boolean isNumber(Object v) {
        return v instanceof JsonNode n && n.isNumber();
    }

    static double toNumber(Object v) {
        return v instanceof JsonNode n && n.isNumber() ? n.doubleValue() : Double.NaN;
    }

    static String toStr(Object v) {
        return v instanceof JsonNode n && n.isTextual() ? n.textValue() : Values.UNDEFINED_STRING;
    }

    static boolean isString(Object v) {
        return v instanceof JsonNode n && n.isTextual();
    }

    static boolean isBool(Object v) {
        return v instanceof JsonNode n && n.isBoolean();
    }

    /** The condition-level truth of a body value: its value when it is a JSON bool, else undefined. */
    static int toTri(Object v) {
        return v instanceof JsonNode n && n.isBoolean() ? Tri.of(n.booleanValue()) : Tri.UNDEFINED;
    }

    /** edgeHub's {@code QueryValue.Compare}: sign of the comparison, or {@link #INCOMPARABLE}. */
    static int compare(Object a, Object b) {
        int ka = kind(a);
        int kb = kind(b);
        if (ka == NONE || kb == NONE) {
            return INCOMPARABLE;
        }
        if (ka != kb) {
            return Integer.compare(ka, kb);
        }
        return switch (ka) {
            case BOOL -> Boolean.compare(((JsonNode) a).booleanValue(), ((JsonNode) b).booleanValue());
            case DOUBLE -> {
                double x = ((JsonNode) a).doubleValue();
                double y = ((JsonNode) b).doubleValue();
                yield x < y ? -1 : x > y ? 1 : x == y ? 0 : INCOMPARABLE;
            }
            case STRING -> Integer.signum(((JsonNode) a).textValue().compareTo(((JsonNode) b).textValue()));
            default -> 0;
        };
    }

    /** A body value for a person: JSON text, {@code undefined} or {@code null (missing)}. */
    static String describe(Object v) {
        return v.toString();
    }
}
