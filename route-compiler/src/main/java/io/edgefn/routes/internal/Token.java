package io.edgefn.routes.internal;

/**
 * A token with its place in the text.
 *
 * @param kind  the kind
 * @param text  the exact source text
 * @param start offset of the first character
 * @param end   offset just after the last character
 */
record Token(TokenKind kind, String text, int start, int end) {

    boolean is(TokenKind k) {
        return kind == k;
    }
}
