package io.edgefn.routes.internal;

import io.edgefn.routes.Truth;

/**
 * Three-valued logic on ints, as edgeHub's {@code Bool}: False = -1, Undefined = 0, True = 1.
 * With that order AND is the minimum (false dominates), OR the maximum (true dominates) and NOT
 * the negation (undefined stays undefined). Stateless.
 */
final class Tri {
    static final int FALSE = -1;
    static final int UNDEFINED = 0;
    static final int TRUE = 1;

    private Tri() {
    }

    static int of(boolean b) {
        return b ? TRUE : FALSE;
    }

    static Truth truth(int tri) {
        return tri > 0 ? Truth.TRUE : tri < 0 ? Truth.FALSE : Truth.UNDEFINED;
    }
}
