package io.edgefn.routes.internal;

import io.edgefn.routes.Diagnostic;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Type-checks a condition's syntax tree with edgeHub's static rules ({@code ConditionVisitor})
 * and builds its evaluator tree. Every type error is reported (a sub-expression in error is not
 * reported again by its parents); warnings flag conditions that probably do not mean what they
 * say. Not thread-safe: one instance per condition.
 */
final class ConditionCompiler {

    private static final Set<Type> LOGICAL = Set.of(Type.BOOL, Type.NULL, Type.UNDEFINED, Type.QUERY);
    private static final String OPERATOR_NAME_CHARS = "+-*%|!";

    private final SourceText source;
    private final List<Diagnostic> diagnostics;
    private final List<Reference> references = new ArrayList<>();

    ConditionCompiler(SourceText source, List<Diagnostic> diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    /** The evaluator of {@code expr}, or {@code null} when it has type errors (reported). */
    Node compile(Expr expr) {
        return node(expr);
    }

    /** The properties and body paths the condition reads, for traces. */
    List<Reference> references() {
        return List.copyOf(references);
    }

    private Node node(Expr e) {
        return switch (e) {
            case Expr.Literal l -> literal(l);
            case Expr.Property p -> property(p);
            case Expr.SystemProperty s -> systemProperty(s);
            case Expr.BodyQuery b -> bodyQuery(b);
            case Expr.Call c -> call(c);
            case Expr.Unary u -> unary(u);
            case Expr.Binary b -> binary(b);
            case Expr.Group g -> node(g.inner());
        };
    }

    private static Node literal(Expr.Literal l) {
        return switch (l.kind()) {
            case NUMBER -> Leaves.Constant.number(l.number());
            case STRING -> Leaves.Constant.string(l.string());
            case TRUE -> Leaves.Constant.bool(Tri.TRUE);
            case FALSE -> Leaves.Constant.bool(Tri.FALSE);
            case NULL -> Leaves.Constant.ofNull();
            case UNDEFINED -> Leaves.Constant.undefined();
        };
    }

    private Node property(Expr.Property p) {
        String name = p.name();
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (OPERATOR_NAME_CHARS.indexOf(ch) >= 0) {
                warn("'" + name + "' is one name, the application property '" + name + "': in edgeHub's route language '"
                        + ch + "' is a name character; put spaces around operators (e.g. 'a - b') if you meant one", p);
                break;
            }
        }
        references.add(new Reference(Reference.Kind.APP, name, null));
        return new Leaves.AppProperty(name);
    }

    private Node systemProperty(Expr.SystemProperty s) {
        String name = s.name();
        if (name.equalsIgnoreCase("correlationId")) {
            warn("edgeHub stores correlation ids received over MQTT and AMQP under 'cid': '$correlationId' is usually "
                    + "undefined; use '$cid'", s);
        } else if (name.regionMatches(true, 0, "twin.", 0, 5)) {
            warn("routes cannot read twins: '$" + name + "' is the (undefined) system property '" + name + "'", s);
        } else if (name.equalsIgnoreCase("body")) {
            warn("'$body' alone is the system property 'body', not the message body; query a field with $body.name", s);
        }
        references.add(new Reference(s.escaped() ? Reference.Kind.SYSTEM : Reference.Kind.DOLLAR, name, null));
        return s.escaped() ? new Leaves.SystemProperty(name) : new Leaves.DollarProperty(name);
    }

    private Node bodyQuery(Expr.BodyQuery b) {
        BodyPath path;
        try {
            path = BodyPath.parse(b.path());
        } catch (IllegalArgumentException ex) {
            error("Invalid $body query '" + b.written() + "'. Error: " + ex.getMessage(), b);
            return null;
        }
        boolean indexed = b.path().indexOf('[') >= 0 || b.path().indexOf(']') >= 0;
        String conflicting = b.escaped() || indexed ? null : b.written();
        references.add(new Reference(Reference.Kind.BODY, b.path(), path));
        return new Leaves.BodyQuery(path, conflicting);
    }

    private Node call(Expr.Call c) {
        List<Node> args = new ArrayList<>();
        boolean failed = false;
        for (Expr a : c.args()) {
            Node n = node(a);
            failed |= n == null;
            args.add(n);
        }
        if (failed) {
            return null;
        }
        try {
            return Builtins.resolve(c.name(), args);
        } catch (Builtins.CallError ex) {
            error(ex.getMessage(), c);
            return null;
        }
    }

    private Node unary(Expr.Unary u) {
        Node operand = node(u.operand());
        if (operand == null) {
            return null;
        }
        if (u.op() == TokenKind.MINUS) {
            if (operand.type == Type.NUMBER) {
                return new Operators.Negate(operand);
            }
            error("Invalid operands to unary operator '-': have '" + operand.type.printed + "', expected 'number'"
                    + (operand.type == Type.QUERY ? " (edgeHub cannot negate a $body value; write 0 - $body.x)" : ""), u);
            return null;
        }
        return switch (operand.type) {
            case BOOL, QUERY -> new Operators.Not(operand);
            case NULL -> Leaves.Constant.bool(Tri.TRUE);
            default -> {
                error("Invalid operands to unary operator '" + u.opText() + "': have '" + operand.type.printed
                        + "', expected 'bool'" + notHint(u), u);
                yield null;
            }
        };
    }

    private String notHint(Expr.Unary u) {
        return " (NOT binds tighter than every binary operator: write NOT (a = b), not NOT a = b)";
    }

    private Node binary(Expr.Binary b) {
        Node l = node(b.left());
        Node r = node(b.right());
        if (l == null || r == null) {
            return null;
        }
        Type lt = l.type;
        Type rt = r.type;
        boolean query = lt == Type.QUERY || rt == Type.QUERY;
        switch (b.op()) {
            case PLUS, MINUS, STAR, SLASH, PERCENT -> {
                boolean ok = (lt == Type.NUMBER || lt == Type.QUERY) && (rt == Type.NUMBER || rt == Type.QUERY);
                if (ok && query && b.op() == TokenKind.PERCENT) {
                    error(operandError(b, lt, rt, "number", "number")
                            + " ($body values have no '%' in edgeHub)", b);
                    return null;
                }
                if (!ok) {
                    error(operandError(b, lt, rt, "number", "number"), b);
                    return null;
                }
                int op = Operators.arithmetic(b.op());
                return query ? new Operators.QueryArithmetic(op, asQuery(l), asQuery(r))
                        : new Operators.NumberArithmetic(op, l, r);
            }
            case CONCAT -> {
                if ((lt != Type.STRING && lt != Type.QUERY) || (rt != Type.STRING && rt != Type.QUERY)) {
                    error(operandError(b, lt, rt, "string", "string"), b);
                    return null;
                }
                return new Operators.Concat(l, r);
            }
            case EQ, NE, NE2, LT, LE, GT, GE -> {
                return comparison(b, l, r);
            }
            case AND, OR -> {
                if (!LOGICAL.contains(lt) || (lt != Type.QUERY && !LOGICAL.contains(rt))) {
                    error(operandError(b, lt, rt, "bool", "bool"), b);
                    return null;
                }
                if (!query && (lt == Type.NULL || rt == Type.NULL)
                        && (b.op() == TokenKind.AND || (lt == Type.NULL && rt == Type.NULL))) {
                    return Leaves.Constant.ofNull();
                }
                return b.op() == TokenKind.AND ? new Operators.And(l, r) : new Operators.Or(l, r);
            }
            case COALESCE -> {
                if (lt != rt && !query) {
                    error(operandError(b, lt, rt, lt.printed, lt.printed), b);
                    return null;
                }
                if (query) {
                    return new Operators.Coalesce(Type.QUERY, asQuery(l), asQuery(r));
                }
                return switch (lt) {
                    case NULL -> Leaves.Constant.ofNull();
                    case UNDEFINED -> Leaves.Constant.undefined();
                    default -> new Operators.Coalesce(lt, l, r);
                };
            }
            default -> throw new IllegalStateException("unexpected operator " + b.op());
        }
    }

    private Node comparison(Expr.Binary b, Node l, Node r) {
        Type lt = l.type;
        Type rt = r.type;
        if (b.left() instanceof Expr.Unary u && u.op() == TokenKind.NOT) {
            warn("NOT binds tighter than '" + b.opText() + "': this is (NOT …) " + b.opText()
                    + " …; write NOT (a " + b.opText() + " b) if that is what you mean", b);
        }
        if (lt == Type.QUERY || rt == Type.QUERY) {
            return new Operators.QueryCompare(Operators.comparison(b.op()), asQuery(l), asQuery(r));
        }
        if (lt != rt) {
            String hint = lt == Type.STRING && rt == Type.NUMBER
                    ? " (properties are strings: compare as_number(…) with a number, or the property with a string)"
                    : lt == Type.STRING && rt == Type.NULL ? " (use is_null(…) to test for null)" : "";
            error(operandError(b, lt, rt, lt.printed, lt.printed) + hint, b);
            return null;
        }
        int op = Operators.comparison(b.op());
        return switch (lt) {
            case NUMBER -> new Operators.NumberCompare(op, l, r);
            case STRING -> new Operators.StringCompare(op, l, r);
            case BOOL -> new Operators.BoolCompare(op, l, r);
            case NULL -> Leaves.Constant.bool(Operators.fromSign(op, 0));
            case UNDEFINED -> Leaves.Constant.bool(Tri.UNDEFINED);
            case QUERY -> throw new IllegalStateException("handled above");
        };
    }

    private static Node asQuery(Node n) {
        return n.isConstant() && n.type != Type.QUERY ? Leaves.Constant.queryOf(n) : n;
    }

    private static String operandError(Expr.Binary b, Type lt, Type rt, String expectedLeft, String expectedRight) {
        return "Invalid operands to binary operator '" + b.opText() + "': have '" + lt.printed + "' and '" + rt.printed
                + "', expected '" + expectedLeft + "' and '" + expectedRight + "'";
    }

    private void error(String message, Expr at) {
        diagnostics.add(source.error(Diagnostic.Phase.CONDITION, message, at.start(), at.end()));
    }

    private void warn(String message, Expr at) {
        diagnostics.add(source.diagnostic(Diagnostic.Severity.WARNING, Diagnostic.Phase.CONDITION, message,
                at.start(), at.end()));
    }
}
