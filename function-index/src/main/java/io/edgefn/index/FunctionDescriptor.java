package io.edgefn.index;

import java.util.List;

/**
 * One function of a package, as the function index records it.
 *
 * @param name               the function's name, as routes address it
 * @param className          the binary name of its class
 * @param maxConcurrency     how many invocations may run at once, at least 1
 * @param timeoutMillis      how long one invocation may run, positive
 * @param retries            how many times a failing invocation is retried, 0 or more
 * @param inputs             its inputs: the union of its methods' route inputs, sorted
 * @param outputs            its outputs: the union of its methods' outputs, sorted
 * @param usesDeviceCommands whether it sends device commands
 * @param methods            its triggered methods, at least one
 */
public record FunctionDescriptor(String name, String className, int maxConcurrency, long timeoutMillis,
        int retries, List<String> inputs, List<String> outputs, boolean usesDeviceCommands,
        List<MethodDescriptor> methods) {

    /** Makes the lists immutable. */
    public FunctionDescriptor {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        methods = List.copyOf(methods);
    }
}
