package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A compiled sub-expression: a small evaluator specialised for its static {@link #type}. A node
 * answers only the accessor of its type ({@code num} for numbers, {@code str} for strings,
 * {@code tri} for bools, {@code query} for body values); the {@code as…} conversions bridge
 * types where edgeHub converts implicitly. Nodes are immutable and thread-safe; evaluating one
 * allocates nothing unless it reads or builds body values.
 */
abstract class Node {

    final Type type;

    Node(Type type) {
        this.type = type;
    }

    double num(EvalContext c) {
        throw new IllegalStateException(getClass().getSimpleName() + " of type " + type + " has no number value");
    }

    String str(EvalContext c) {
        throw new IllegalStateException(getClass().getSimpleName() + " of type " + type + " has no string value");
    }

    int tri(EvalContext c) {
        throw new IllegalStateException(getClass().getSimpleName() + " of type " + type + " has no bool value");
    }

    Object query(EvalContext c) {
        throw new IllegalStateException(getClass().getSimpleName() + " of type " + type + " has no body value");
    }

    /** This node's value as a body value, as edgeHub's implicit conversions to {@code QueryValue}. */
    final Object asQuery(EvalContext c) {
        return switch (type) {
            case NUMBER -> Qv.ofNumber(num(c));
            case STRING -> Qv.ofString(str(c));
            case BOOL -> Qv.ofTri(tri(c));
            case NULL -> NullNode.getInstance();
            case UNDEFINED -> Qv.UNDEFINED;
            case QUERY -> query(c);
        };
    }

    /** This node's value as a condition result: bools as they are, null is False, body bools as they are, the rest undefined. */
    final int asTri(EvalContext c) {
        return switch (type) {
            case BOOL -> tri(c);
            case NULL -> Tri.FALSE;
            case QUERY -> Qv.toTri(query(c));
            default -> Tri.UNDEFINED;
        };
    }

    /** This node's value as a number argument (body values that are not numbers are undefined). */
    final double asNumber(EvalContext c) {
        return switch (type) {
            case NUMBER -> num(c);
            case QUERY -> Qv.toNumber(query(c));
            default -> Double.NaN;
        };
    }

    /** This node's value as a string argument (body values that are not strings are undefined). */
    final String asStr(EvalContext c) {
        return switch (type) {
            case STRING -> str(c);
            case QUERY -> Qv.toStr(query(c));
            default -> Values.UNDEFINED_STRING;
        };
    }

    /** Whether the value is a compile-time constant. */
    boolean isConstant() {
        return false;
    }
}
