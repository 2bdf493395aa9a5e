package io.edgefn.index;

import java.util.List;

/**
 * One triggered method of a function, as the function index records it.
 *
 * @param name           the method's name
 * @param parameterTypes the binary names of its parameter types' erasures, as
 *                       {@code Class.getName()} gives them ({@code "[B"} for {@code byte[]})
 * @param trigger        what triggers it
 * @param returnType     the binary name of its return type, {@code "void"} for none
 * @param returnOutput   the output its return value goes to, or {@code null}
 * @param parameters     how each parameter is bound, in order, as many as {@code parameterTypes}
 * @param retry          the method's own retry policy ({@code @Retry}), or {@code null} for its function's
 */
public record MethodDescriptor(String name, List<String> parameterTypes, TriggerDescriptor trigger,
        String returnType, String returnOutput, List<ParameterDescriptor> parameters, RetryDescriptor retry) {

    /** A method without a retry policy of its own: its function's applies. */
    public MethodDescriptor(String name, List<String> parameterTypes, TriggerDescriptor trigger,
            String returnType, String returnOutput, List<ParameterDescriptor> parameters) {
        this(name, parameterTypes, trigger, returnType, returnOutput, parameters, null);
    }

    /**
     * Makes the lists immutable.
     *
     * @throws IllegalArgumentException when there are not as many parameters as parameter types
     */
    public MethodDescriptor {
        parameterTypes = List.copyOf(parameterTypes);
        parameters = List.copyOf(parameters);
        if (parameters.size() != parameterTypes.size()) {
            throw new IllegalArgumentException("method " + name + " has " + parameters.size() + " parameters but "
                    + parameterTypes.size() + " parameter types");
        }
    }
}
