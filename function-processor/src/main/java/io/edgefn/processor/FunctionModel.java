package io.edgefn.processor;

import java.util.List;
import java.util.SortedSet;

/**
 * One checked function, as the index lists it. Immutable.
 *
 * @param inputs sorted union of the route inputs of its methods
 * @param outputs sorted union of the {@code @SendTo} outputs of its methods and parameters
 */
record FunctionModel(
        String name,
        String className,
        int maxConcurrency,
        long timeoutMillis,
        int retries,
        SortedSet<String> inputs,
        SortedSet<String> outputs,
        boolean usesDeviceCommands,
        List<MethodModel> methods) {

    /**
     * One trigger method.
     *
     * @param returnOutput the method's {@code @SendTo} output, or null
     */
    record MethodModel(
            String name,
            List<String> parameterTypes,
            Trigger trigger,
            String returnType,
            String returnOutput,
            List<Binding> parameters) {
    }
}
