package io.edgefn.processor;

import io.edgefn.api.HttpEndpoint;
import io.edgefn.api.PathParam;
import io.edgefn.api.MqttOutput;
import io.edgefn.api.Property;
import io.edgefn.api.SendTo;
import io.edgefn.api.StateStore;
import io.edgefn.index.ParameterDescriptor;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Decides how the host binds one parameter of a trigger method, reporting on the parameter
 * what nothing can bind. Stateless apart from its collaborators.
 */
final class ParameterBinder {

    // The types each binding requires, as the index names them: one definition for the processor and the host.
    private static final String MESSAGE = ParameterDescriptor.Message.TYPE;
    private static final String CONTEXT = ParameterDescriptor.Context.TYPE;
    private static final String DEVICE_COMMANDS = ParameterDescriptor.DeviceCommands.TYPE;
    private static final String OUTPUT = ParameterDescriptor.Output.TYPE;
    private static final String BYTES = ParameterDescriptor.BodyBytes.TYPE;
    private static final String JSON_NODE = ParameterDescriptor.BodyJson.TYPE;
    private static final String OPTIONAL = ParameterDescriptor.Property.OPTIONAL_TYPE;
    private static final String STRING = ParameterDescriptor.BodyString.TYPE;
    private static final String HTTP_CALL = ParameterDescriptor.HttpCall.TYPE;
    private static final String HTTP_REQUEST = ParameterDescriptor.HttpRequest.TYPE;
    private static final String STATE = ParameterDescriptor.State.TYPE;
    private static final String REPORTED = ParameterDescriptor.ReportedProperties.TYPE;
    private static final String SETTINGS = ParameterDescriptor.Settings.TYPE;
    private static final String MQTT_PUBLISHER = ParameterDescriptor.MqttPublisher.TYPE;

    private final TypeNames typeNames;
    private final Diagnostics diagnostics;

    ParameterBinder(TypeNames typeNames, Diagnostics diagnostics) {
        this.typeNames = typeNames;
        this.diagnostics = diagnostics;
    }

    /**
     * The binding of {@code parameter} of {@code method}, or empty after reporting an error on
     * the parameter.
     */
    Optional<ParameterDescriptor> bind(ExecutableElement method, VariableElement parameter) {
        TypeMirror type = parameter.asType();
        String typeName = typeNames.binaryName(type);
        String where = "parameter " + parameter.getSimpleName() + " of " + method.getSimpleName();
        SendTo sendTo = parameter.getAnnotation(SendTo.class);
        Property property = parameter.getAnnotation(Property.class);
        if (sendTo != null && property != null) {
            diagnostics.error(parameter, where + " has both @SendTo and @Property: it is either an output or a property");
            return Optional.empty();
        }
        PathParam pathParam = parameter.getAnnotation(PathParam.class);
        HttpEndpoint endpoint = parameter.getAnnotation(HttpEndpoint.class);
        if ((pathParam != null ? 1 : 0) + (endpoint != null ? 1 : 0) + (sendTo != null ? 1 : 0) + (property != null ? 1 : 0) > 1) {
            diagnostics.error(parameter, where + " has more than one of @SendTo, @Property, @PathParam and @HttpEndpoint:"
                    + " a parameter binds one thing");
            return Optional.empty();
        }
        if (pathParam != null) {
            return bindPathParam(parameter, type, typeName, pathParam, where);
        }
        if (typeName.equals(HTTP_CALL) || endpoint != null) {
            return bindHttpCall(parameter, type, typeName, endpoint, where);
        }
        if (typeName.equals(HTTP_REQUEST)) {
            return Optional.of(new ParameterDescriptor.HttpRequest());
        }
        MqttOutput mqttOutput = parameter.getAnnotation(MqttOutput.class);
        if (typeName.equals(MQTT_PUBLISHER) || mqttOutput != null) {
            return bindMqttPublisher(parameter, type, typeName, mqttOutput, sendTo != null || property != null, where);
        }
        if (typeName.equals(OUTPUT)) {
            return bindOutput(parameter, type, sendTo, where);
        }
        StateStore store = parameter.getAnnotation(StateStore.class);
        if (typeName.equals(STATE) || store != null) {
            return bindState(parameter, type, typeName, store, sendTo != null || property != null, where);
        }
        if (sendTo != null) {
            diagnostics.error(parameter, where + " is annotated @SendTo but is " + withArticle(type)
                    + ": @SendTo on a parameter needs an Output<T> (to send a return value, put @SendTo on the method)");
            return Optional.empty();
        }
        if (property != null) {
            return bindProperty(parameter, type, typeName, property, where);
        }
        return switch (typeName) {
            case MESSAGE -> Optional.of(new ParameterDescriptor.Message());
            case CONTEXT -> Optional.of(new ParameterDescriptor.Context());
            case DEVICE_COMMANDS -> Optional.of(new ParameterDescriptor.DeviceCommands());
            case BYTES -> Optional.of(new ParameterDescriptor.BodyBytes());
            case STRING -> Optional.of(new ParameterDescriptor.BodyString());
            case JSON_NODE -> Optional.of(new ParameterDescriptor.BodyJson());
            case REPORTED -> Optional.of(new ParameterDescriptor.ReportedProperties());
            case SETTINGS -> Optional.of(new ParameterDescriptor.Settings());
            case OPTIONAL -> {
                diagnostics.error(parameter, where + " is an Optional without @Property:"
                        + " an Optional<String> binds an application property, e.g. @Property(\"unit\")");
                yield Optional.empty();
            }
            default -> {
                if (type.getKind().isPrimitive()) {
                    // A body may be empty or not a number at all; a primitive has no way to say so,
                    // and binding it would fail at run time on the first such message.
                    diagnostics.error(parameter, where + " is " + withArticle(type) + ", which cannot hold a message body:"
                            + " a body is JSON, so take a record or class it decodes to (e.g. record Reading(double"
                            + " temperature)), a JsonNode, a String or a byte[]");
                    yield Optional.empty();
                }
                yield Optional.of(new ParameterDescriptor.Body(typeName));
            }
        };
    }

    /** {@code an int}, {@code a java.lang.String}: the type with the article English gives it. */
    static String withArticle(TypeMirror type) {
        String name = type.toString();
        return ("aeiouAEIOU".indexOf(name.isEmpty() ? 'x' : name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private Optional<ParameterDescriptor> bindPathParam(VariableElement parameter, TypeMirror type, String typeName,
                                                        PathParam pathParam, String where) {
        if (!typeName.equals(ParameterDescriptor.PathParam.TYPE)) {
            diagnostics.error(parameter, where + " is " + withArticle(type) + " annotated @PathParam(\"" + pathParam.value()
                    + "\"): a path parameter binds only String (parse it in the method)");
            return Optional.empty();
        }
        if (pathParam.value().isBlank()) {
            diagnostics.error(parameter, where + " has @PathParam with a blank name: name the path parameter");
            return Optional.empty();
        }
        return Optional.of(new ParameterDescriptor.PathParam(pathParam.value()));
    }

    private Optional<ParameterDescriptor> bindHttpCall(VariableElement parameter, TypeMirror type, String typeName,
                                                       HttpEndpoint endpoint, String where) {
        if (!typeName.equals(HTTP_CALL)) {
            diagnostics.error(parameter, where + " is " + withArticle(type)
                    + " annotated @HttpEndpoint: @HttpEndpoint declares an HttpCall parameter");
            return Optional.empty();
        }
        if (endpoint == null) {
            diagnostics.error(parameter, where + " is an HttpCall without @HttpEndpoint: give its base URL,"
                    + " e.g. @HttpEndpoint(urlSetting = \"vendorUrl\")");
            return Optional.empty();
        }
        List<String> bad = new java.util.ArrayList<>();
        boolean hasUrl = !endpoint.url().isEmpty();
        boolean hasSetting = !endpoint.urlSetting().isEmpty();
        if (hasUrl == hasSetting) {
            bad.add("give exactly one of url and urlSetting" + (hasUrl ? ", not both" : ""));
        }
        if (hasUrl) {
            try {
                java.net.URI uri = new java.net.URI(endpoint.url());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getQuery() != null || uri.getFragment() != null) {
                    bad.add("url \"" + endpoint.url() + "\" is not an http:// or https:// base URL with a host"
                            + " (and no query or fragment)");
                }
            } catch (java.net.URISyntaxException e) {
                bad.add("url \"" + endpoint.url() + "\" is not a URL: " + e.getMessage());
            }
        }
        if (endpoint.timeoutMillis() < 1) {
            bad.add("timeoutMillis is " + endpoint.timeoutMillis() + "; it must be at least 1");
        }
        if (endpoint.maxAttempts() < 1) {
            bad.add("maxAttempts is " + endpoint.maxAttempts() + "; it must be at least 1");
        }
        if (endpoint.backoffMillis() < 0) {
            bad.add("backoffMillis is " + endpoint.backoffMillis() + "; it must be 0 or more");
        }
        if (!bad.isEmpty()) {
            diagnostics.error(parameter, where + " has an invalid @HttpEndpoint: " + String.join("; ", bad));
            return Optional.empty();
        }
        return Optional.of(new ParameterDescriptor.HttpCall(hasUrl ? endpoint.url() : null,
                hasSetting ? endpoint.urlSetting() : null, endpoint.timeoutMillis(), endpoint.maxAttempts(),
                endpoint.backoffMillis(), endpoint.retryNonIdempotent(),
                endpoint.trustPemSetting().isEmpty() ? null : endpoint.trustPemSetting()));
    }

    private Optional<ParameterDescriptor> bindMqttPublisher(VariableElement parameter, TypeMirror type, String typeName,
            MqttOutput mqttOutput, boolean otherAnnotation, String where) {
        if (!typeName.equals(MQTT_PUBLISHER)) {
            diagnostics.error(parameter, where + " is annotated @MqttOutput but is " + withArticle(type)
                    + ": @MqttOutput names the broker of an MqttPublisher parameter");
            return Optional.empty();
        }
        if (otherAnnotation) {
            diagnostics.error(parameter, where + " is an MqttPublisher with @SendTo or @Property: an MqttPublisher"
                    + " names its broker with @MqttOutput(broker = \"...\") and nothing else");
            return Optional.empty();
        }
        String broker = mqttOutput == null ? "" : mqttOutput.broker();
        if (!broker.isEmpty() && !Names.isIdentifier(broker)) {
            diagnostics.error(parameter, where + " publishes to invalid broker \"" + broker
                    + "\": a broker name is " + Names.IDENTIFIER_RULE + " (empty for the gateway's own hub)");
            return Optional.empty();
        }
        return Optional.of(new ParameterDescriptor.MqttPublisher(broker));
    }

    private Optional<ParameterDescriptor> bindOutput(VariableElement parameter, TypeMirror type, SendTo sendTo, String where) {
        if (sendTo == null) {
            diagnostics.error(parameter, where + " is an Output without @SendTo: name its output, e.g. @SendTo(\"alerts\")");
            return Optional.empty();
        }
        if (!Names.isIdentifier(sendTo.value())) {
            diagnostics.error(parameter, where + " sends to invalid output name \"" + sendTo.value()
                    + "\": an output name is " + Names.IDENTIFIER_RULE);
            return Optional.empty();
        }
        List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
        if (arguments.isEmpty()) {
            diagnostics.error(parameter, where + " is a raw Output: give its element type, e.g. Output<Alert>");
            return Optional.empty();
        }
        TypeMirror element = arguments.getFirst();
        if (element.getKind() == TypeKind.WILDCARD) {
            diagnostics.error(parameter, where + " is " + type
                    + ": give Output a concrete element type, e.g. Output<Alert>, not a wildcard");
            return Optional.empty();
        }
        return Optional.of(new ParameterDescriptor.Output(sendTo.value(), typeNames.binaryName(element)));
    }

    /** A {@code @StateStore("name") State<T>}: both the annotation and a concrete {@code T}. */
    private Optional<ParameterDescriptor> bindState(VariableElement parameter, TypeMirror type, String typeName,
            StateStore store, boolean otherAnnotation, String where) {
        if (!typeName.equals(STATE)) {
            diagnostics.error(parameter, where + " is annotated @StateStore but is " + withArticle(type)
                    + ": @StateStore names the store of a State<T> parameter, e.g. @StateStore(\"baselines\") State<Baseline>");
            return Optional.empty();
        }
        if (otherAnnotation) {
            diagnostics.error(parameter, where + " is a State with @SendTo or @Property: a State parameter takes only @StateStore");
            return Optional.empty();
        }
        if (store == null) {
            diagnostics.error(parameter, where + " is a State without @StateStore: name its store,"
                    + " e.g. @StateStore(\"baselines\") State<Baseline>");
            return Optional.empty();
        }
        if (!ParameterDescriptor.State.isValidName(store.value())) {
            diagnostics.error(parameter, where + " names invalid store \"" + store.value() + "\": a store name is "
                    + ParameterDescriptor.State.NAME_RULE + " (it names a file)");
            return Optional.empty();
        }
        List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
        if (arguments.isEmpty()) {
            diagnostics.error(parameter, where + " is a raw State: give its element type, e.g. State<Baseline>");
            return Optional.empty();
        }
        TypeMirror element = arguments.getFirst();
        if (element.getKind() != TypeKind.DECLARED && element.getKind() != TypeKind.ARRAY) {
            diagnostics.error(parameter, where + " is " + type
                    + ": give State a concrete element type Jackson can read and write, e.g. State<Baseline>, not "
                    + (element.getKind() == TypeKind.WILDCARD ? "a wildcard" : "a type variable"));
            return Optional.empty();
        }
        return Optional.of(new ParameterDescriptor.State(store.value(), typeNames.binaryName(element)));
    }

    private Optional<ParameterDescriptor> bindProperty(VariableElement parameter, TypeMirror type, String typeName,
            Property property, String where) {
        if (property.value().isBlank()) {
            diagnostics.error(parameter, where + " has @Property with a blank name: name the application property");
            return Optional.empty();
        }
        if (typeName.equals(ParameterDescriptor.Property.TYPE)) {
            return Optional.of(new ParameterDescriptor.Property(property.value(), false));
        }
        if (typeName.equals(OPTIONAL) && type instanceof DeclaredType declared
                && declared.getTypeArguments().size() == 1
                && typeNames.binaryName(declared.getTypeArguments().getFirst()).equals(ParameterDescriptor.Property.TYPE)
                && declared.getTypeArguments().getFirst().getKind() == TypeKind.DECLARED) {
            return Optional.of(new ParameterDescriptor.Property(property.value(), true));
        }
        diagnostics.error(parameter, where + " is " + withArticle(type)
                + " annotated @Property(\"" + property.value() + "\"): a property binds only String or Optional<String>");
        return Optional.empty();
    }
}
