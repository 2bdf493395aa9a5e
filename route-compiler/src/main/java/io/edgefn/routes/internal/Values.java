package io.edgefn.routes.internal;

/**
 * Runtime representations of the static types: numbers are doubles (NaN = undefined), strings
 * are Java strings ({@code null} = a property present with a null value, the
 * {@link #UNDEFINED_STRING} instance = undefined, compared by reference as edgeHub does), bools
 * are {@link Tri} ints. Stateless.
 */
final class Values {

    /** The undefined string: a private instance, recognised by identity only. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    static final String UNDEFINED_STRING = new String("\u0000undefined");

    private Values() {
    }

    static boolean isDefined(String s) {
        return s != UNDEFINED_STRING;
    }

    /** A defined, non-null string. */
    static boolean isValue(String s) {
        return s != null && s != UNDEFINED_STRING;
    }
}
