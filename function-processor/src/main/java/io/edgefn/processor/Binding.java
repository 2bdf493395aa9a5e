package io.edgefn.processor;

/**
 * How the host fills one parameter of a trigger method; one of the index's
 * {@code parameters[].binding} kinds. Immutable.
 */
sealed interface Binding {

    /** The index's name of this binding kind. */
    String kind();

    /** Whether this binding reads the message body (a method may have at most one). */
    default boolean readsBody() {
        return false;
    }

    /** Whether this binding needs a triggering message (timer methods have none). */
    default boolean needsMessage() {
        return false;
    }

    /** The whole {@code io.edgefn.api.Message}. */
    record Message() implements Binding {
        @Override
        public String kind() {
            return "message";
        }

        @Override
        public boolean needsMessage() {
            return true;
        }
    }

    /** The body as raw bytes, as text, as a Jackson tree, or bound by Jackson to {@code type}. */
    record Body(String kind, String type) implements Binding {
        static final String BYTES = "bodyBytes";
        static final String STRING = "bodyString";
        static final String JSON = "bodyJson";
        static final String POJO = "body";

        @Override
        public boolean readsBody() {
            return true;
        }

        @Override
        public boolean needsMessage() {
            return true;
        }
    }

    /** One application property; {@code optional} for {@code Optional<String>}. */
    record Property(String name, boolean optional) implements Binding {
        @Override
        public String kind() {
            return "property";
        }

        @Override
        public boolean needsMessage() {
            return true;
        }
    }

    /** The {@code io.edgefn.api.FunctionContext}. */
    record Context() implements Binding {
        @Override
        public String kind() {
            return "context";
        }
    }

    /** An {@code Output<elementType>} annotated {@code @SendTo(output)}. */
    record Output(String output, String elementType) implements Binding {
        @Override
        public String kind() {
            return "output";
        }
    }

    /** The {@code io.edgefn.api.DeviceCommands} binding. */
    record DeviceCommands() implements Binding {
        @Override
        public String kind() {
            return "deviceCommands";
        }
    }
}
