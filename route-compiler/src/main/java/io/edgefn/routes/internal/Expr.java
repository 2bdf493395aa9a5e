package io.edgefn.routes.internal;

import java.util.List;

/**
 * The syntax tree of a condition. Every node knows the offsets {@code [start, end)} of its text
 * in the route (or condition) it was parsed from.
 */
sealed interface Expr {

    int start();

    int end();

    /** A literal: number, string, {@code true}, {@code false}, {@code null} or {@code undefined}. */
    record Literal(Kind kind, String text, double number, String string, int start, int end) implements Expr {
        enum Kind { NUMBER, STRING, TRUE, FALSE, NULL, UNDEFINED }
    }

    /** An application property ({@code temp}). */
    record Property(String name, int start, int end) implements Expr { }

    /**
     * A {@code $name} reference: the application property {@code $name} when the message has one,
     * else the system property {@code name}; with {@code escaped} ({@code {$name}}) only the system property.
     */
    record SystemProperty(String name, boolean escaped, int start, int end) implements Expr { }

    /**
     * A {@code $body.path} query; unless {@code escaped} or the path has an index, an application
     * property literally named {@code $body.path} wins.
     */
    record BodyQuery(String path, String written, boolean escaped, int start, int end) implements Expr { }

    /** A builtin call ({@code as_number(temp)}); the name is kept as written. */
    record Call(String name, int nameEnd, List<Expr> args, int start, int end) implements Expr {
        /** Keeps an immutable copy of the arguments. */
        public Call {
            args = List.copyOf(args);
        }
    }

    /** A prefix operator: {@code -} or {@code NOT}. */
    record Unary(TokenKind op, String opText, Expr operand, int start, int end) implements Expr { }

    /** A binary operator. */
    record Binary(TokenKind op, String opText, Expr left, Expr right, int start, int end) implements Expr { }

    /** A parenthesised expression (kept so that positions and printing stay faithful). */
    record Group(Expr inner, int start, int end) implements Expr { }
}
