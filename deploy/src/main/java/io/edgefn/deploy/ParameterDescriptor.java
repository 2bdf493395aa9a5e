package io.edgefn.deploy;

/**
 * How the host binds one parameter of a function method, as the function index records it; one
 * record per {@code binding} kind of docs/function-index.md.
 */
public sealed interface ParameterDescriptor {

    /** The binding kind as written in the index, e.g. {@code bodyJson}. */
    String binding();

    /** The whole {@code io.edgefn.api.Message}. */
    record Message() implements ParameterDescriptor {
        @Override
        public String binding() {
            return "message";
        }
    }

    /** The body as {@code byte[]}. */
    record BodyBytes() implements ParameterDescriptor {
        @Override
        public String binding() {
            return "bodyBytes";
        }
    }

    /** The body as a UTF-8 {@code String}. */
    record BodyString() implements ParameterDescriptor {
        @Override
        public String binding() {
            return "bodyString";
        }
    }

    /** The body parsed as a Jackson {@code JsonNode}. */
    record BodyJson() implements ParameterDescriptor {
        @Override
        public String binding() {
            return "bodyJson";
        }
    }

    /**
     * The body bound by Jackson to a POJO, record or collection type.
     *
     * @param type the binary name of the type, e.g. {@code com.example.pump.Anomaly}
     */
    record Body(String type) implements ParameterDescriptor {
        @Override
        public String binding() {
            return "body";
        }
    }

    /**
     * A named application property of the message.
     *
     * @param name     the property's name
     * @param optional whether the parameter is an {@code Optional<String>} (absent allowed)
     */
    record Property(String name, boolean optional) implements ParameterDescriptor {
        @Override
        public String binding() {
            return "property";
        }
    }

    /** The invocation's {@code io.edgefn.api.FunctionContext}. */
    record Context() implements ParameterDescriptor {
        @Override
        public String binding() {
            return "context";
        }
    }

    /**
     * An {@code io.edgefn.api.Output<T>} that emits to a named output.
     *
     * @param output      the output's name
     * @param elementType the binary name of {@code T}
     */
    record Output(String output, String elementType) implements ParameterDescriptor {
        @Override
        public String binding() {
            return "output";
        }
    }

    /** The {@code io.edgefn.api.DeviceCommands} of the host. */
    record DeviceCommands() implements ParameterDescriptor {
        @Override
        public String binding() {
            return "deviceCommands";
        }
    }
}
