package io.edgefn.routes.internal;

import java.util.stream.Collectors;

/** Prints a condition's syntax tree back to text that parses to the same tree. Stateless. */
final class Printer {

    private Printer() {
    }

    static String print(Expr e) {
        return switch (e) {
            case Expr.Literal l -> l.text();
            case Expr.Property p -> p.name();
            case Expr.SystemProperty s -> s.escaped() ? "{$" + s.name() + "}" : "$" + s.name();
            case Expr.BodyQuery b -> b.escaped() ? "{" + b.written() + "}" : b.written();
            case Expr.Call c -> c.name() + "(" + c.args().stream().map(Printer::print).collect(Collectors.joining(", ")) + ")";
            case Expr.Unary u -> u.opText() + " " + print(u.operand());
            case Expr.Binary b -> print(b.left()) + " " + b.opText() + " " + print(b.right());
            case Expr.Group g -> "(" + print(g.inner()) + ")";
        };
    }
}
