package io.edgefn.deploy;

/**
 * A call in a function package's bytecode that the host does not allow, such as
 * {@code System.exit} or {@code new ProcessBuilder(…)}; {@link BytecodeScanner} says which calls
 * these are.
 *
 * @param entry     the jar entry holding the class, e.g. {@code com/example/Evil.class}
 * @param className the calling class's binary name, e.g. {@code com.example.Evil}
 * @param method    the calling method's name and descriptor, e.g. {@code run()V}
 * @param line      the source line of the call, or 0 when the class was compiled without line
 *                  numbers
 * @param call      the method called, e.g. {@code java.lang.System.exit(I)V}; for a lookup by
 *                  name, the lookup method (e.g. {@code java.lang.Class.getMethod(…)})
 * @param via       how it is called: {@code invokestatic}, {@code invokevirtual}, …,
 *                  {@code invokedynamic (method handle)} for a method reference like
 *                  {@code System::exit}, or the lookup instruction followed by what it looks up by
 *                  name, e.g. {@code invokevirtual of "halt" with java.lang.Runtime}
 * @param reason    why the host refuses it
 */
public record ForbiddenCall(String entry, String className, String method, int line, String call, String via,
        Reason reason) {

    /** Why a call is refused. */
    public enum Reason {
        /** {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}, called or looked up by name. */
        STOPS_THE_HOST("it would stop the whole host"),
        /** Defining classes from bytes, or loading them from elsewhere, at run time. */
        DEFINES_CLASSES("it defines or loads classes at run time, whose code was never scanned"),
        /** Starting or killing an operating-system process. */
        RUNS_PROCESSES("it starts or kills operating-system processes");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** The reason in words, e.g. {@code it would stop the whole host}. */
        public String description() {
            return description;
        }
    }

    /**
     * The call as one line: {@code com.example.Evil.run()V at line 12 calls
     * java.lang.System.exit(I)V (invokestatic): it would stop the whole host}.
     */
    @Override
    public String toString() {
        return className + "." + method + (line > 0 ? " at line " + line : "") + " calls " + call + " (" + via + "): "
                + reason.description();
    }
}
