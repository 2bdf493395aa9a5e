package io.edgefn.bindings;

import io.edgefn.api.Message;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.ParameterDescriptor;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What each binding of the function index means at run time: turns a method's
 * {@link ParameterDescriptor}s into {@link ParameterBinder}s. The entry type of the bindings.
 *
 * <p>The switch over the sealed {@link ParameterDescriptor} has no {@code default} branch: a new
 * binding kind does not compile until it is bound here. Work that depends only on the method
 * (Jackson's reader for a body type) is done here, once, rather than on every invocation.
 * Stateless and thread-safe.
 */
public final class ParameterBinders {

    private ParameterBinders() {
    }

    /**
     * One binder per parameter of {@code method}, in order.
     *
     * @param functionName   the function's name, for outputs and messages
     * @param method         the method as its package's index describes it
     * @param parameterTypes the generic Java types of the method's parameters, in order (a body
     *                       parameter is read into its type, e.g. {@code List<Reading>})
     * @param services       what the binders share
     * @return a new array, as long as the method's parameter list
     * @throws IllegalArgumentException when there are not as many types as parameters
     */
    public static ParameterBinder[] forMethod(String functionName, MethodDescriptor method,
                                              List<? extends Type> parameterTypes, BindingServices services) {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(services, "services");
        List<ParameterDescriptor> parameters = method.parameters();
        if (parameterTypes.size() != parameters.size()) {
            throw new IllegalArgumentException("method " + functionName + "." + method.name() + " has "
                    + parameters.size() + " parameters in the index but " + parameterTypes.size() + " in its class");
        }
        ParameterBinder[] binders = new ParameterBinder[parameters.size()];
        for (int i = 0; i < binders.length; i++) {
            String where = "parameter " + i + " of " + functionName + "." + method.name();
            binders[i] = binder(functionName, where, parameters.get(i), parameterTypes.get(i), services);
        }
        return binders;
    }

    private static ParameterBinder binder(String functionName, String where, ParameterDescriptor parameter,
                                          Type type, BindingServices services) {
        return switch (parameter) {
            case ParameterDescriptor.Message m -> scope -> message(scope, where, m);
            case ParameterDescriptor.BodyBytes b -> scope -> message(scope, where, b).body();
            case ParameterDescriptor.BodyString s -> scope -> message(scope, where, s).bodyAsString();
            case ParameterDescriptor.BodyJson j -> scope -> services.codec().readTree(message(scope, where, j));
            case ParameterDescriptor.Body b -> {
                Function<Message, Object> reader = services.codec().readerFor(type);
                yield scope -> reader.apply(message(scope, where, b));
            }
            case ParameterDescriptor.Property p -> p.optional()
                    ? scope -> Optional.ofNullable(message(scope, where, p).property(p.name()))
                    : scope -> message(scope, where, p).property(p.name());
            case ParameterDescriptor.Context c -> BindingScope::context;
            case ParameterDescriptor.Output o -> scope -> {
                CollectingOutput<Object> output = new CollectingOutput<>(functionName, o.output(), services.codec());
                scope.addOutput(output);
                return output;
            };
            case ParameterDescriptor.DeviceCommands d -> scope -> services.devices();
            case ParameterDescriptor.PathParam p -> scope -> httpRequest(scope, where, p).pathParams().get(p.name());
            case ParameterDescriptor.HttpRequest r -> scope -> httpRequest(scope, where, r);
            case ParameterDescriptor.HttpCall h -> scope -> {
                if (services.http() == null) {
                    throw new BindingException(where + " is an HttpCall, but this host has no HTTP client");
                }
                return services.http().endpoint(h, scope.context().settings());
            };
            case ParameterDescriptor.State st -> {
                if (services.states() == null) {
                    throw new BindingException(where + " binds state store '" + st.store()
                            + "', but this function was given no state stores");
                }
                // Opened (and recovered) now, when the deployment is wired: a damaged store fails the start, not a message.
                Object state = services.states().open(st.store(), stateElementType(where, type));
                yield scope -> state;
            }
            case ParameterDescriptor.ReportedProperties r -> scope -> new TwinReportedProperties(scope.context().twin());
            case ParameterDescriptor.Settings s -> scope -> scope.context().settings();
            case ParameterDescriptor.MqttPublisher p -> {
                io.edgefn.api.MqttPublisher publisher = services.mqtt().apply(p.broker());
                yield scope -> publisher;
            }
        };
    }

    /** The HTTP request {@code parameter} binds from; only an HTTP-triggered invocation has one. */
    private static io.edgefn.api.HttpRequestData httpRequest(BindingScope scope, String where, ParameterDescriptor parameter) {
        message(scope, where, parameter); // a timer tick has neither
        io.edgefn.api.HttpRequestData request = scope.httpRequest();
        if (request == null) {
            throw new BindingException(where + " binds " + parameter.binding()
                    + ", which needs an HTTP request, but this invocation has none");
        }
        return request;
    }

    /** {@code T} of the parameter's {@code State<T>}. */
    private static Type stateElementType(String where, Type type) {
        if (type instanceof java.lang.reflect.ParameterizedType p && p.getActualTypeArguments().length == 1) {
            return p.getActualTypeArguments()[0];
        }
        throw new BindingException(where + " is a State without its element type (" + type.getTypeName()
                + "); recompile the package with the edgefn processor");
    }

    /** The message {@code parameter} binds from; a timer tick has none, which the index should have prevented. */
    private static Message message(BindingScope scope, String where, ParameterDescriptor parameter) {
        Message message = scope.message();
        if (message == null) {
            throw new BindingException(where + " binds " + parameter.binding()
                    + ", which needs a message, but this invocation has none (a timer tick)");
        }
        return message;
    }
}
