package io.edgefn.routes.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * edgeHub's builtin functions ({@code RC/query/builtins}), resolved on the static types of their
 * arguments; names are case-insensitive. Body values ({@code unknown}) are accepted wherever a
 * number or string is, and are undefined at run time when they are not of that kind. Stateless.
 */
final class Builtins {

    /** Every builtin name, lower case. */
    static final Set<String> NAMES = Set.of("abs", "ceiling", "floor", "exp", "sqrt", "square", "sign", "power",
            "as_number", "is_bool", "is_number", "is_string", "is_defined", "is_null", "concat", "length", "lower",
            "upper", "substring", "index_of", "starts_with", "ends_with", "contains");

    private static final Set<Type> NUMERIC = Set.of(Type.NUMBER, Type.QUERY);
    private static final Set<Type> TEXT = Set.of(Type.STRING, Type.QUERY);

    private Builtins() {
    }

    /** Why a call cannot be compiled; the message is edgeHub's wording. */
    static final class CallError extends Exception {
        private static final long serialVersionUID = 1L;

        CallError(String message) {
            super(message, null, false, false);
        }
    }

    static Node resolve(String written, List<Node> args) throws CallError {
        String name = written.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new CallError("Invalid built-in function '" + written + "'");
        }
        boolean ok = switch (name) {
            case "abs", "ceiling", "floor", "exp", "sqrt", "square", "sign" -> shape(args, NUMERIC);
            case "power" -> shape(args, NUMERIC, NUMERIC);
            case "as_number" -> args.size() == 1 && args.get(0).type != Type.BOOL && args.get(0).type != Type.NULL
                    && args.get(0).type != Type.UNDEFINED;
            case "is_bool", "is_number", "is_string", "is_defined", "is_null" -> args.size() == 1;
            case "concat" -> args.size() >= 2 && args.stream().allMatch(a -> TEXT.contains(a.type));
            case "length", "lower", "upper" -> shape(args, TEXT);
            case "substring" -> shape(args, TEXT, NUMERIC) || shape(args, TEXT, NUMERIC, NUMERIC);
            default -> shape(args, TEXT, TEXT);
        };
        if (!ok) {
            throw new CallError("Invalid arguments to built-in function '" + written + "': " + written + "("
                    + args.stream().map(a -> a.type.printed).collect(Collectors.joining(", ")) + ")");
        }
        return switch (name) {
            case "abs", "ceiling", "floor", "exp", "sqrt", "square", "sign" -> new MathFunction(name, args.get(0));
            case "power" -> new Power(args.get(0), args.get(1));
            case "as_number" -> new AsNumber(args.get(0));
            case "is_bool", "is_number", "is_string", "is_defined", "is_null" -> new TypeTest(name, args.get(0));
            case "concat" -> new ConcatAll(args);
            case "length" -> new Length(args.get(0));
            case "lower", "upper" -> new CaseMap(name.equals("upper"), args.get(0));
            case "substring" -> new Substring(args);
            case "index_of" -> new IndexOf(args.get(0), args.get(1));
            default -> new StringTest(name, args.get(0), args.get(1));
        };
    }

    @SafeVarargs
    private static boolean shape(List<Node> args, Set<Type>... params) {
        if (args.size() != params.length) {
            return false;
        }
        for (int i = 0; i < params.length; i++) {
            if (!params[i].contains(args.get(i).type)) {
                return false;
            }
        }
        return true;
    }

    /** {@code abs ceiling floor exp sqrt square sign}. */
    static final class MathFunction extends Node {
        private final int kind;
        private final Node arg;

        MathFunction(String name, Node arg) {
            super(Type.NUMBER);
            this.kind = List.of("abs", "ceiling", "floor", "exp", "sqrt", "square", "sign").indexOf(name);
            this.arg = arg;
        }

        @Override
        double num(EvalContext c) {
            double x = arg.asNumber(c);
            return switch (kind) {
                case 0 -> Math.abs(x);
                case 1 -> Math.ceil(x);
                case 2 -> Math.floor(x);
                case 3 -> Math.exp(x);
                case 4 -> Math.sqrt(x);
                case 5 -> dotNetPow(x, 2);
                default -> Math.signum(x);
            };
        }
    }

    /** .NET Core's {@code Math.Pow}, which differs from Java's where the result is exactly 1. */
    static double dotNetPow(double x, double y) {
        if (x == 1 || y == 0) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    /** {@code power(x, y)}. */
    static final class Power extends Node {
        private final Node x;
        private final Node y;

        Power(Node x, Node y) {
            super(Type.NUMBER);
            this.x = x;
            this.y = y;
        }

        @Override
        double num(EvalContext c) {
            return dotNetPow(x.asNumber(c), y.asNumber(c));
        }
    }

    /** {@code as_number(x)}: numbers as they are, strings parsed as .NET's {@code NumberStyles.Any}. */
    static final class AsNumber extends Node {
        private final Node arg;

        AsNumber(Node arg) {
            super(Type.NUMBER);
            this.arg = arg;
        }

        @Override
        double num(EvalContext c) {
            if (arg.type == Type.NUMBER) {
                return arg.num(c);
            }
            if (arg.type == Type.QUERY) {
                Object v = arg.query(c);
                if (Qv.isNumber(v)) {
                    return Qv.toNumber(v);
                }
                String s = Qv.toStr(v);
                return Values.isValue(s) ? DotNetNumber.parse(s) : Double.NaN;
            }
            String s = arg.str(c);
            return Values.isValue(s) ? DotNetNumber.parse(s) : Double.NaN;
        }
    }

    /** {@code is_bool is_number is_string is_defined is_null}: never undefined. */
    static final class TypeTest extends Node {
        private final String name;
        private final Node arg;

        TypeTest(String name, Node arg) {
            super(Type.BOOL);
            this.name = name;
            this.arg = arg;
        }

        @Override
        int tri(EvalContext c) {
            return Tri.of(switch (name) {
                case "is_bool" -> switch (arg.type) {
                    case BOOL -> arg.tri(c) != Tri.UNDEFINED;
                    case QUERY -> Qv.isBool(arg.query(c));
                    default -> false;
                };
                case "is_number" -> switch (arg.type) {
                    case NUMBER -> Double.isFinite(arg.num(c));
                    case QUERY -> Qv.isNumber(arg.query(c)) && Double.isFinite(Qv.toNumber(arg.query(c)));
                    default -> false;
                };
                case "is_string" -> switch (arg.type) {
                    case STRING -> Values.isValue(arg.str(c));
                    case QUERY -> Qv.isString(arg.query(c));
                    default -> false;
                };
                case "is_defined" -> switch (arg.type) {
                    case NUMBER -> !Double.isNaN(arg.num(c));
                    case STRING -> Values.isDefined(arg.str(c));
                    case BOOL -> arg.tri(c) != Tri.UNDEFINED;
                    case NULL -> true;
                    case UNDEFINED -> false;
                    case QUERY -> Qv.isDefined(arg.query(c));
                };
                default -> switch (arg.type) { // is_null
                    case STRING -> arg.str(c) == null;
                    case NULL -> true;
                    case QUERY -> arg.query(c) != Qv.MISSING; // edgeHub compares with QueryValue.Null by reference
                    default -> false;
                };
            });
        }
    }

    /** {@code concat(a, b, …)}: undefined if any part is undefined; a null string adds nothing. */
    static final class ConcatAll extends Node {
        private final Node[] parts;

        ConcatAll(List<Node> parts) {
            super(Type.STRING);
            this.parts = parts.toArray(Node[]::new);
        }

        @Override
        String str(EvalContext c) {
            StringBuilder out = new StringBuilder();
            for (Node part : parts) {
                String s = part.asStr(c);
                if (!Values.isDefined(s)) {
                    return Values.UNDEFINED_STRING;
                }
                if (s != null) {
                    out.append(s);
                }
            }
            return out.toString();
        }
    }

    /** {@code length(s)} in UTF-16 code units. */
    static final class Length extends Node {
        private final Node arg;

        Length(Node arg) {
            super(Type.NUMBER);
            this.arg = arg;
        }

        @Override
        double num(EvalContext c) {
            String s = arg.asStr(c);
            return Values.isValue(s) ? s.length() : Double.NaN;
        }
    }

    /** {@code lower(s)} and {@code upper(s)}, invariant culture. */
    static final class CaseMap extends Node {
        private final boolean upper;
        private final Node arg;

        CaseMap(boolean upper, Node arg) {
            super(Type.STRING);
            this.upper = upper;
            this.arg = arg;
        }

        @Override
        String str(EvalContext c) {
            String s = arg.asStr(c);
            if (!Values.isValue(s)) {
                return Values.UNDEFINED_STRING;
            }
            return upper ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT);
        }
    }

    /** {@code substring(s, start[, length])} with edgeHub's range rules (out of range is undefined). */
    static final class Substring extends Node {
        private final Node string;
        private final Node start;
        private final Node length;

        Substring(List<Node> args) {
            super(Type.STRING);
            this.string = args.get(0);
            this.start = args.get(1);
            this.length = args.size() > 2 ? args.get(2) : null;
        }

        @Override
        String str(EvalContext c) {
            String s = string.asStr(c);
            double from = start.asNumber(c);
            double count = length == null ? 0 : length.asNumber(c);
            if (!Values.isValue(s) || Double.isNaN(from) || Double.isNaN(count)) {
                return Values.UNDEFINED_STRING;
            }
            long begin = (long) from;
            int len = s.length();
            if (length == null) {
                return begin >= 0 && begin <= len ? s.substring((int) begin) : Values.UNDEFINED_STRING;
            }
            long n = (long) count;
            if (begin < 0 || begin >= len || n < 0 || n > len - begin) {
                return Values.UNDEFINED_STRING;
            }
            return s.substring((int) begin, (int) (begin + n));
        }
    }

    /** {@code index_of(s, t)}: ordinal, -1 when absent. */
    static final class IndexOf extends Node {
        private final Node string;
        private final Node search;

        IndexOf(Node string, Node search) {
            super(Type.NUMBER);
            this.string = string;
            this.search = search;
        }

        @Override
        double num(EvalContext c) {
            String s = string.asStr(c);
            String t = search.asStr(c);
            return Values.isValue(s) && Values.isValue(t) ? s.indexOf(t) : Double.NaN;
        }
    }

    /** {@code starts_with ends_with contains}: ordinal. */
    static final class StringTest extends Node {
        private final int kind;
        private final Node string;
        private final Node other;

        StringTest(String name, Node string, Node other) {
            super(Type.BOOL);
            this.kind = name.equals("starts_with") ? 0 : name.equals("ends_with") ? 1 : 2;
            this.string = string;
            this.other = other;
        }

        @Override
        int tri(EvalContext c) {
            String s = string.asStr(c);
            String t = other.asStr(c);
            if (!Values.isValue(s) || !Values.isValue(t)) {
                return Tri.UNDEFINED;
            }
            return Tri.of(kind == 0 ? s.startsWith(t) : kind == 1 ? s.endsWith(t) : s.contains(t));
        }
    }
}
