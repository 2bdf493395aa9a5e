package io.edgefn.routes.internal;

/** The operator evaluators, one class per operator family and static type. */
final class Operators {

    static final int EQ = 0;
    static final int NE = 1;
    static final int LT = 2;
    static final int LE = 3;
    static final int GT = 4;
    static final int GE = 5;

    static final int ADD = 0;
    static final int SUB = 1;
    static final int MUL = 2;
    static final int DIV = 3;
    static final int MOD = 4;

    private Operators() {
    }

    static int comparison(TokenKind op) {
        return switch (op) {
            case EQ -> EQ;
            case NE, NE2 -> NE;
            case LT -> LT;
            case LE -> LE;
            case GT -> GT;
            case GE -> GE;
            default -> throw new IllegalArgumentException("not a comparison: " + op);
        };
    }

    static int arithmetic(TokenKind op) {
        return switch (op) {
            case PLUS -> ADD;
            case MINUS -> SUB;
            case STAR -> MUL;
            case SLASH -> DIV;
            case PERCENT -> MOD;
            default -> throw new IllegalArgumentException("not arithmetic: " + op);
        };
    }

    /** The result of comparison {@code op} for a comparison sign {@code cmp} (-1, 0, 1). */
    static int fromSign(int op, int cmp) {
        return Tri.of(switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            default -> cmp >= 0;
        });
    }

    static double arith(int op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            default -> a % b;
        };
    }

    /** Numbers compared; NaN (undefined) on either side gives undefined. */
    static final class NumberCompare extends Node {
        private final int op;
        private final Node left;
        private final Node right;

        NumberCompare(int op, Node left, Node right) {
            super(Type.BOOL);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        int tri(EvalContext c) {
            double a = left.num(c);
            double b = right.num(c);
            if (a != a || b != b) {
                return Tri.UNDEFINED;
            }
            return Tri.of(switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                default -> a >= b;
            });
        }
    }

    /** Strings compared ordinally; undefined or null on either side gives undefined. */
    static final class StringCompare extends Node {
        private final int op;
        private final Node left;
        private final Node right;

        StringCompare(int op, Node left, Node right) {
            super(Type.BOOL);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        int tri(EvalContext c) {
            String a = left.str(c);
            String b = right.str(c);
            if (!Values.isValue(a) || !Values.isValue(b)) {
                return Tri.UNDEFINED;
            }
            return op == EQ ? Tri.of(a.equals(b)) : op == NE ? Tri.of(!a.equals(b)) : fromSign(op, a.compareTo(b));
        }
    }

    /** Bools compared (False &lt; True); undefined on either side gives undefined. */
    static final class BoolCompare extends Node {
        private final int op;
        private final Node left;
        private final Node right;

        BoolCompare(int op, Node left, Node right) {
            super(Type.BOOL);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        int tri(EvalContext c) {
            int a = left.tri(c);
            int b = right.tri(c);
            return a == Tri.UNDEFINED || b == Tri.UNDEFINED ? Tri.UNDEFINED : fromSign(op, Integer.compare(a, b));
        }
    }

    /** Body values compared by edgeHub's {@code QueryValue.Compare} (cross-type order by kind). */
    static final class QueryCompare extends Node {
        private final int op;
        private final Node left;
        private final Node right;

        QueryCompare(int op, Node left, Node right) {
            super(Type.BOOL);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        int tri(EvalContext c) {
            int cmp = Qv.compare(left.asQuery(c), right.asQuery(c));
            return cmp == Qv.INCOMPARABLE ? Tri.UNDEFINED : fromSign(op, cmp);
        }
    }

    /** {@code + - * / %} on numbers (IEEE: {@code 3 / 0} is +∞, {@code 3 % 0} NaN). */
    static final class NumberArithmetic extends Node {
        private final int op;
        private final Node left;
        private final Node right;

        NumberArithmetic(int op, Node left, Node right) {
            super(Type.NUMBER);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        double num(EvalContext c) {
            return arith(op, left.num(c), right.num(c));
        }
    }

    /** {@code + - * /} with a body value: a number when both are numbers, else undefined. */
    static final class QueryArithmetic extends Node {
        private final int op;
        private final Node left;
        private final Node right;

        QueryArithmetic(int op, Node left, Node right) {
            super(Type.QUERY);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Object query(EvalContext c) {
            Object a = left.asQuery(c);
            Object b = right.asQuery(c);
            if (!Qv.isNumber(a) || !Qv.isNumber(b)) {
                return Qv.UNDEFINED;
            }
            return Qv.ofNumber(arith(op, Qv.toNumber(a), Qv.toNumber(b)));
        }
    }

    /** Unary minus on a number. */
    static final class Negate extends Node {
        private final Node operand;

        Negate(Node operand) {
            super(Type.NUMBER);
            this.operand = operand;
        }

        @Override
        double num(EvalContext c) {
            return -operand.num(c);
        }
    }

    /** {@code ||}: string concatenation; a null string adds nothing, undefined makes the result undefined. */
    static final class Concat extends Node {
        private final Node left;
        private final Node right;

        Concat(Node left, Node right) {
            super(left.type == Type.QUERY || right.type == Type.QUERY ? Type.QUERY : Type.STRING);
            this.left = left;
            this.right = right;
        }

        @Override
        String str(EvalContext c) {
            String a = left.asStr(c);
            String b = right.asStr(c);
            if (!Values.isDefined(a) || !Values.isDefined(b)) {
                return Values.UNDEFINED_STRING;
            }
            return (a == null ? "" : a) + (b == null ? "" : b);
        }

        @Override
        Object query(EvalContext c) {
            return Qv.ofString(str(c));
        }
    }

    /** AND: both sides evaluated, false dominates. */
    static final class And extends Node {
        private final Node left;
        private final Node right;

        And(Node left, Node right) {
            super(Type.BOOL);
            this.left = left;
            this.right = right;
        }

        @Override
        int tri(EvalContext c) {
            return Math.min(left.asTri(c), right.asTri(c));
        }
    }

    /** OR: both sides evaluated, true dominates. */
    static final class Or extends Node {
        private final Node left;
        private final Node right;

        Or(Node left, Node right) {
            super(Type.BOOL);
            this.left = left;
            this.right = right;
        }

        @Override
        int tri(EvalContext c) {
            return Math.max(left.asTri(c), right.asTri(c));
        }
    }

    /** NOT: undefined stays undefined; {@code NOT null} is True. */
    static final class Not extends Node {
        private final Node operand;

        Not(Node operand) {
            super(Type.BOOL);
            this.operand = operand;
        }

        @Override
        int tri(EvalContext c) {
            return -operand.asTri(c);
        }
    }

    /** {@code ??}: the left value when it is defined, else the right one. */
    static final class Coalesce extends Node {
        private final Node left;
        private final Node right;

        Coalesce(Type type, Node left, Node right) {
            super(type);
            this.left = left;
            this.right = right;
        }

        @Override
        double num(EvalContext c) {
            double a = left.num(c);
            return a == a ? a : right.num(c);
        }

        @Override
        String str(EvalContext c) {
            String a = left.str(c);
            return Values.isDefined(a) ? a : right.str(c);
        }

        @Override
        int tri(EvalContext c) {
            int a = left.tri(c);
            return a != Tri.UNDEFINED ? a : right.tri(c);
        }

        @Override
        Object query(EvalContext c) {
            Object a = left.asQuery(c);
            return Qv.isDefined(a) ? a : right.asQuery(c);
        }
    }
}
