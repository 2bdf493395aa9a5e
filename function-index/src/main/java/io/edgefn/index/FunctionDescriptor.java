package io.edgefn.index;

import java.util.List;

/**
 * One function of a package, as the function index records it.
 *
 * @param name               the function's name, as routes address it
 * @param className          the binary name of its class; {@code null} for a JavaScript function
 * @param maxConcurrency     how many invocations may run at once, at least 1
 * @param timeoutMillis      how long one invocation may run, positive
 * @param retries            how many times a failing invocation is retried, 0 or more
 * @param inputs             its inputs: the union of its methods' route inputs, sorted
 * @param outputs            its outputs: for Java the union of its methods' outputs; for
 *                           JavaScript the outputs its declaration names; sorted
 * @param usesDeviceCommands whether it sends device commands
 * @param methods            its triggered methods, at least one
 * @param runtime            what runs it: {@link #JAVA} or {@link #JS}
 * @param source             for JavaScript, the jar entry of its script (e.g.
 *                           {@code js/anomaly-detector.mjs}); {@code null} for Java
 */
public record FunctionDescriptor(String name, String className, int maxConcurrency, long timeoutMillis,
        int retries, List<String> inputs, List<String> outputs, boolean usesDeviceCommands,
        List<MethodDescriptor> methods, String runtime, String source) {

    /** The runtime of a Java function: the default, not written to the index. */
    public static final String JAVA = "java";
    /** The runtime of a JavaScript function (GraalVM Polyglot). */
    public static final String JS = "js";

    /**
     * Makes the lists immutable and checks the runtime.
     *
     * @throws IllegalArgumentException when {@code runtime} is neither {@link #JAVA} nor
     *                                  {@link #JS}, or a Java function has a source or no class,
     *                                  or a JavaScript function has a class or no source
     */
    public FunctionDescriptor {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        methods = List.copyOf(methods);
        if (runtime == null) {
            runtime = JAVA;
        }
        boolean valid = switch (runtime) {
            case JAVA -> className != null && source == null;
            case JS -> className == null && source != null;
            default -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException("function " + name + ": runtime '" + runtime + "' with className "
                    + className + " and source " + source + "; a java function has a class and no source, a js"
                    + " function a source and no class");
        }
    }

    /** A Java function: its class is {@code className}. */
    public FunctionDescriptor(String name, String className, int maxConcurrency, long timeoutMillis,
            int retries, List<String> inputs, List<String> outputs, boolean usesDeviceCommands,
            List<MethodDescriptor> methods) {
        this(name, className, maxConcurrency, timeoutMillis, retries, inputs, outputs, usesDeviceCommands, methods,
                JAVA, null);
    }

    /** Whether this is a JavaScript function. */
    public boolean isJs() {
        return JS.equals(runtime);
    }
}
