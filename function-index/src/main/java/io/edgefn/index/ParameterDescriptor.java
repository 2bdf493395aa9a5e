package io.edgefn.index;

import java.util.List;
import java.util.Objects;

/**
 * How the host binds one parameter of a function method, as the function index records it; one
 * record per {@code binding} kind of docs/function-index.md. Immutable.
 *
 * <p>This is the one definition of the binding model. Each record names its {@link Kind}, which
 * says how the kind is written in the index and what it needs (the body, a triggering message, a
 * fixed Java parameter type). Everything that handles bindings switches over this sealed type or
 * over {@link Kind} without a {@code default} branch: the processor creates the records, the index
 * writer and reader turn them into JSON and back, and {@code edgefn-bindings} turns each into a
 * value at run time. A new kind is a new record here and a new {@link Kind} constant, and the
 * compiler then points at every place that must handle it.
 */
public sealed interface ParameterDescriptor {

    /** What kind of binding this is: its name in the index and what it needs. */
    Kind kind();

    /** The binding kind as written in the index, e.g. {@code bodyJson}. */
    default String binding() {
        return kind().indexName();
    }

    /** Whether this binding reads the message body; a method binds the body at most once. */
    default boolean readsBody() {
        return kind().readsBody();
    }

    /** Whether this binding needs a triggering message, which a timer invocation does not have. */
    default boolean needsMessage() {
        return kind().needsMessage();
    }

    /**
     * The binary name of the erasure of the Java parameter type this binding requires, as
     * {@code Class.getName()} gives it (e.g. {@code "[B"} for {@code bodyBytes}).
     */
    default String requiredType() {
        return kind().fixedType();
    }

    /**
     * The binding kinds, as the index names them, with what each needs. A record's kind is fixed;
     * the index reader goes from a name to a kind, and from the kind to the record, through this
     * closed set.
     */
    enum Kind {
        /** {@link Message}. */
        MESSAGE("message", List.of(), Message.TYPE, false, true),
        /** {@link BodyBytes}. */
        BODY_BYTES("bodyBytes", List.of(), BodyBytes.TYPE, true, true),
        /** {@link BodyString}. */
        BODY_STRING("bodyString", List.of(), BodyString.TYPE, true, true),
        /** {@link BodyJson}. */
        BODY_JSON("bodyJson", List.of(), BodyJson.TYPE, true, true),
        /** {@link Body}: its type is the record's. */
        BODY("body", List.of("type"), null, true, true),
        /** {@link Property}: its type depends on whether it is optional. */
        PROPERTY("property", List.of("name", "optional"), null, false, true),
        /** {@link Context}. */
        CONTEXT("context", List.of(), Context.TYPE, false, false),
        /** {@link Output}. */
        OUTPUT("output", List.of("output", "elementType"), Output.TYPE, false, false),
        /** {@link DeviceCommands}. */
        DEVICE_COMMANDS("deviceCommands", List.of(), DeviceCommands.TYPE, false, false),
        /** {@link PathParam}: only on an HTTP-triggered method. */
        PATH_PARAM("pathParam", List.of("name"), PathParam.TYPE, false, true),
        /** {@link HttpRequest}: only on an HTTP-triggered method. */
        HTTP_REQUEST("httpRequest", List.of(), HttpRequest.TYPE, false, true),
        /** {@link HttpCall}. */
        HTTP_CALL("httpCall", List.of("url", "urlSetting", "timeoutMillis", "maxAttempts", "backoffMillis",
                "retryNonIdempotent", "trustPemSetting"), HttpCall.TYPE, false, false),
        /** {@link State}. */
        STATE("state", List.of("store", "elementType"), State.TYPE, false, false),
        /** {@link ReportedProperties}. */
        REPORTED_PROPERTIES("reportedProperties", List.of(), ReportedProperties.TYPE, false, false),
        /** {@link Settings}. */
        SETTINGS("settings", List.of(), Settings.TYPE, false, false),
        /** {@link MqttPublisher}. */
        MQTT_PUBLISHER("mqttPublisher", List.of("broker"), MqttPublisher.TYPE, false, false);

        private final String indexName;
        private final List<String> keys;
        private final String fixedType;
        private final boolean readsBody;
        private final boolean needsMessage;

        Kind(String indexName, List<String> keys, String fixedType, boolean readsBody, boolean needsMessage) {
            this.indexName = indexName;
            this.keys = keys;
            this.fixedType = fixedType;
            this.readsBody = readsBody;
            this.needsMessage = needsMessage;
        }

        /** The kind's {@code binding} value in the index, e.g. {@code bodyJson}. */
        public String indexName() {
            return indexName;
        }

        /** The keys a parameter of this kind has in the index besides {@code binding}, in the order written. */
        public List<String> keys() {
            return keys;
        }

        /** The Java parameter type every binding of this kind requires, or {@code null} when it depends on the binding. */
        public String fixedType() {
            return fixedType;
        }

        /** Whether bindings of this kind read the message body. */
        public boolean readsBody() {
            return readsBody;
        }

        /** Whether bindings of this kind need a triggering message. */
        public boolean needsMessage() {
            return needsMessage;
        }

        /** The kind whose index name is {@code indexName}, or {@code null}. */
        public static Kind forIndexName(String indexName) {
            for (Kind kind : values()) {
                if (kind.indexName.equals(indexName)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** The whole {@code io.edgefn.api.Message}. */
    record Message() implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "io.edgefn.api.Message";

        @Override
        public Kind kind() {
            return Kind.MESSAGE;
        }
    }

    /** The body as {@code byte[]}. */
    record BodyBytes() implements ParameterDescriptor {
        /** The parameter type it requires: {@code byte[]}. */
        public static final String TYPE = "[B";

        @Override
        public Kind kind() {
            return Kind.BODY_BYTES;
        }
    }

    /** The body as a UTF-8 {@code String}. */
    record BodyString() implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "java.lang.String";

        @Override
        public Kind kind() {
            return Kind.BODY_STRING;
        }
    }

    /** The body parsed as a Jackson {@code JsonNode}. */
    record BodyJson() implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "com.fasterxml.jackson.databind.JsonNode";

        @Override
        public Kind kind() {
            return Kind.BODY_JSON;
        }
    }

    /**
     * The body bound by Jackson to a POJO, record or collection type.
     *
     * @param type the binary name of the type, e.g. {@code com.example.pump.Anomaly}
     */
    record Body(String type) implements ParameterDescriptor {
        /** Checks the type is given. */
        public Body {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public Kind kind() {
            return Kind.BODY;
        }

        /** The parameter's own type, {@link #type()}. */
        @Override
        public String requiredType() {
            return type;
        }
    }

    /**
     * A named application property of the message.
     *
     * @param name     the property's name
     * @param optional whether the parameter is an {@code Optional<String>} (absent allowed)
     */
    record Property(String name, boolean optional) implements ParameterDescriptor {
        /** The parameter type of a required property. */
        public static final String TYPE = "java.lang.String";
        /** The parameter type (erased) of an optional property, {@code Optional<String>}. */
        public static final String OPTIONAL_TYPE = "java.util.Optional";

        /** Checks the name is given. */
        public Property {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Kind kind() {
            return Kind.PROPERTY;
        }

        /** {@link #OPTIONAL_TYPE} when optional, {@link #TYPE} otherwise. */
        @Override
        public String requiredType() {
            return typeFor(optional);
        }

        /** The parameter type of a property that is {@code optional} or not. */
        public static String typeFor(boolean optional) {
            return optional ? OPTIONAL_TYPE : TYPE;
        }
    }

    /** The invocation's {@code io.edgefn.api.FunctionContext}. */
    record Context() implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "io.edgefn.api.FunctionContext";

        @Override
        public Kind kind() {
            return Kind.CONTEXT;
        }
    }

    /**
     * An {@code io.edgefn.api.Output<T>} that emits to a named output.
     *
     * @param output      the output's name
     * @param elementType the binary name of {@code T}
     */
    record Output(String output, String elementType) implements ParameterDescriptor {
        /** The parameter type (erased) it requires. */
        public static final String TYPE = "io.edgefn.api.Output";

        /** Checks both names are given. */
        public Output {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(elementType, "elementType");
        }

        @Override
        public Kind kind() {
            return Kind.OUTPUT;
        }
    }

    /** The {@code io.edgefn.api.DeviceCommands} of the host. */
    record DeviceCommands() implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "io.edgefn.api.DeviceCommands";

        @Override
        public Kind kind() {
            return Kind.DEVICE_COMMANDS;
        }
    }

    /**
     * A path parameter of the HTTP request that triggered the method.
     *
     * @param name the parameter's name in the trigger's path
     */
    record PathParam(String name) implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "java.lang.String";

        /** Checks the name is given. */
        public PathParam {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Kind kind() {
            return Kind.PATH_PARAM;
        }
    }

    /** The {@code io.edgefn.api.HttpRequestData} of the HTTP request that triggered the method. */
    record HttpRequest() implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "io.edgefn.api.HttpRequestData";

        @Override
        public Kind kind() {
            return Kind.HTTP_REQUEST;
        }
    }

    /**
     * An {@code io.edgefn.api.HttpCall} to a REST endpoint, as its {@code @HttpEndpoint} declares it.
     *
     * @param url                the base URL, or {@code null} when {@code urlSetting} names it
     * @param urlSetting         the setting holding the base URL, or {@code null} when {@code url} is given
     * @param timeoutMillis      one attempt's timeout, positive
     * @param maxAttempts        attempts in all, at least 1
     * @param backoffMillis      the wait before the first retry, doubling, 0 or more
     * @param retryNonIdempotent whether POST and PATCH are retried too
     * @param trustPemSetting    the setting holding the path of a CA PEM file to trust, or {@code null}
     */
    record HttpCall(String url, String urlSetting, int timeoutMillis, int maxAttempts, int backoffMillis,
                    boolean retryNonIdempotent, String trustPemSetting) implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "io.edgefn.api.HttpCall";

        /** Checks exactly one of url and urlSetting is given and the numbers are in range. */
        public HttpCall {
            if ((url == null) == (urlSetting == null)) {
                throw new IllegalArgumentException("an HTTP call has exactly one of url and urlSetting, not url=" + url
                        + ", urlSetting=" + urlSetting);
            }
            if (timeoutMillis < 1 || maxAttempts < 1 || backoffMillis < 0) {
                throw new IllegalArgumentException("an HTTP call needs timeoutMillis >= 1, maxAttempts >= 1 and"
                        + " backoffMillis >= 0, not " + timeoutMillis + ", " + maxAttempts + ", " + backoffMillis);
            }
        }

        @Override
        public Kind kind() {
            return Kind.HTTP_CALL;
        }
    }

    /**
     * A durable {@code io.edgefn.api.State<T>} store of the function, named by
     * {@code @StateStore}.
     *
     * @param store       the store's name
     * @param elementType the binary name of {@code T}
     */
    record State(String store, String elementType) implements ParameterDescriptor {
        /** The parameter type (erased) it requires. */
        public static final String TYPE = "io.edgefn.api.State";

        /** What a store name may be, for messages. */
        public static final String NAME_RULE = "1 to 64 letters, digits, '-' and '_'";

        /** Checks both names are given. */
        public State {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(elementType, "elementType");
        }

        /** Whether {@code name} is a valid store name ({@link #NAME_RULE}); it names a file. */
        public static boolean isValidName(String name) {
            return name != null && name.matches("[A-Za-z0-9_-]{1,64}");
        }

        @Override
        public Kind kind() {
            return Kind.STATE;
        }
    }

    /** The {@code io.edgefn.api.ReportedProperties} of the function's twin. */
    record ReportedProperties() implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "io.edgefn.api.ReportedProperties";

        @Override
        public Kind kind() {
            return Kind.REPORTED_PROPERTIES;
        }
    }

    /** The function's {@code io.edgefn.api.Settings} as the invocation reads them. */
    record Settings() implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "io.edgefn.api.Settings";

        @Override
        public Kind kind() {
            return Kind.SETTINGS;
        }
    }

    /**
     * An {@code io.edgefn.api.MqttPublisher} publishing to one broker.
     *
     * @param broker the broker's name in the deployment's {@code brokers}, or empty for the gateway's hub
     */
    record MqttPublisher(String broker) implements ParameterDescriptor {
        /** The parameter type it requires. */
        public static final String TYPE = "io.edgefn.api.MqttPublisher";

        /** Checks the broker is given (empty for the gateway's hub). */
        public MqttPublisher {
            Objects.requireNonNull(broker, "broker");
        }

        @Override
        public Kind kind() {
            return Kind.MQTT_PUBLISHER;
        }
    }
}
