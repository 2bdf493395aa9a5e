package io.edgefn.runtime.internal;

import io.edgefn.bindings.BindingException;
import io.edgefn.bindings.CollectingOutput;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.ParameterDescriptor;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.ExecutableMethod;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;

/**
 * Turns the function index's parameter bindings into {@link ArgumentBinder}s, once per method
 * when a deployment is loaded, so that an invocation only runs the binders.
 */
final class Binders {

    private Binders() {
    }

    static ArgumentBinder[] forMethod(String functionName, MethodDescriptor method,
                                      ExecutableMethod<Object, Object> invoker, HostServices host) {
        List<ParameterDescriptor> params = method.parameters();
        Argument<?>[] arguments = invoker.getArguments();
        ArgumentBinder[] binders = new ArgumentBinder[params.size()];
        for (int i = 0; i < binders.length; i++) {
            binders[i] = binder(functionName, params.get(i), arguments[i].asType(), host);
        }
        return binders;
    }

    private static ArgumentBinder binder(String functionName, ParameterDescriptor param, Type type, HostServices host) {
        return switch (param) {
            case ParameterDescriptor.Message m -> Invocation::message;
            case ParameterDescriptor.BodyBytes b -> inv -> requireMessage(inv).body();
            case ParameterDescriptor.BodyString s -> inv -> requireMessage(inv).bodyAsString();
            case ParameterDescriptor.BodyJson j -> inv -> host.codec().readTree(requireMessage(inv));
            case ParameterDescriptor.Body b -> {
                java.util.function.Function<io.edgefn.api.Message, Object> reader = host.codec().readerFor(type);
                yield inv -> reader.apply(requireMessage(inv));
            }
            case ParameterDescriptor.Property p -> p.optional()
                    ? inv -> Optional.ofNullable(requireMessage(inv).property(p.name()))
                    : inv -> requireMessage(inv).property(p.name());
            case ParameterDescriptor.Context c -> inv -> inv;
            case ParameterDescriptor.Output o -> inv -> {
                CollectingOutput<Object> output = new CollectingOutput<>(functionName, o.output(), host.codec());
                inv.outputs.add(output);
                return output;
            };
            case ParameterDescriptor.DeviceCommands d -> inv -> host.devices();
        };
    }

    private static io.edgefn.api.Message requireMessage(Invocation invocation) {
        io.edgefn.api.Message m = invocation.message();
        if (m == null) {
            throw new BindingException("this invocation has no message to bind (a timer tick)");
        }
        return m;
    }
}
