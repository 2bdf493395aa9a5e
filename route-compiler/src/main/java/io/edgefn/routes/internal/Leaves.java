package io.edgefn.routes.internal;


/** The leaf evaluators: constants, property reads and body queries. */
final class Leaves {

    private Leaves() {
    }

    /** A constant of any type. */
    static final class Constant extends Node {
        private final double number;
        private final String string;
        private final int tri;
        private final Object query;

        private Constant(Type type, double number, String string, int tri, Object query) {
            super(type);
            this.number = number;
            this.string = string;
            this.tri = tri;
            this.query = query;
        }

        static Constant number(double d) {
            return new Constant(Type.NUMBER, d, null, 0, null);
        }

        static Constant string(String s) {
            return new Constant(Type.STRING, Double.NaN, s, 0, null);
        }

        static Constant bool(int tri) {
            return new Constant(Type.BOOL, Double.NaN, null, tri, null);
        }

        static Constant ofNull() {
            return new Constant(Type.NULL, Double.NaN, null, Tri.FALSE, null);
        }

        static Constant undefined() {
            return new Constant(Type.UNDEFINED, Double.NaN, Values.UNDEFINED_STRING, Tri.UNDEFINED, Qv.UNDEFINED);
        }

        /** {@code node}'s constant value as a body value, computed once. */
        static Constant queryOf(Node node) {
            return new Constant(Type.QUERY, Double.NaN, null, 0, node.asQuery(null));
        }

        @Override
        double num(EvalContext c) {
            return number;
        }

        @Override
        String str(EvalContext c) {
            return string;
        }

        @Override
        int tri(EvalContext c) {
            return tri;
        }

        @Override
        Object query(EvalContext c) {
            return query;
        }

        @Override
        boolean isConstant() {
            return true;
        }
    }

    /** An application property: {@code temp}. */
    static final class AppProperty extends Node {
        private final String name;

        AppProperty(String name) {
            super(Type.STRING);
            this.name = name;
        }

        @Override
        String str(EvalContext c) {
            return c.appProperty(name);
        }
    }

    /** {@code $name}: the application property {@code $name} if the message has it, else the system property {@code name}. */
    static final class DollarProperty extends Node {
        private final String appName;
        private final String systemName;

        DollarProperty(String systemName) {
            super(Type.STRING);
            this.appName = "$" + systemName;
            this.systemName = systemName;
        }

        @Override
        String str(EvalContext c) {
            String v = c.dollarAppProperty(appName, Values.UNDEFINED_STRING);
            return v != Values.UNDEFINED_STRING ? v : c.systemProperty(systemName);
        }
    }

    /** {@code {$name}}: the system property {@code name} only. */
    static final class SystemProperty extends Node {
        private final String name;

        SystemProperty(String name) {
            super(Type.STRING);
            this.name = name;
        }

        @Override
        String str(EvalContext c) {
            return c.systemProperty(name);
        }
    }

    /** {@code $body.a.b[2]}: a value of the JSON body (an application property of the same name wins unless escaped or indexed). */
    static final class BodyQuery extends Node {
        private final BodyPath path;
        private final String conflictingProperty;

        BodyQuery(BodyPath path, String conflictingProperty) {
            super(Type.QUERY);
            this.path = path;
            this.conflictingProperty = conflictingProperty;
        }

        @Override
        Object query(EvalContext c) {
            if (conflictingProperty != null) {
                String v = c.dollarAppProperty(conflictingProperty, Values.UNDEFINED_STRING);
                if (v != Values.UNDEFINED_STRING) {
                    return Qv.ofString(v);
                }
            }
            return c.bodyValue(path);
        }
    }
}
