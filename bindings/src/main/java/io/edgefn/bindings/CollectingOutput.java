package io.edgefn.bindings;

import io.edgefn.api.Message;
import io.edgefn.api.Output;
import io.edgefn.api.SystemProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link Output} a function method sends to during one invocation: it collects the messages,
 * stamped as coming from the function's output, for the host to route once the invocation has
 * succeeded.
 *
 * <p>Not thread-safe: one invocation's thread uses it, then the host reads {@link #messages()}.
 *
 * @param <T> what the function sends
 */
public final class CollectingOutput<T> implements Output<T> {

    private final String functionName;
    private final String outputName;
    private final BodyCodec codec;
    private final List<Message> messages = new ArrayList<>(2);

    /** An output {@code outputName} of the function {@code functionName}. */
    public CollectingOutput(String functionName, String outputName, BodyCodec codec) {
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.outputName = Objects.requireNonNull(outputName, "outputName");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public void send(T value) {
        send(value, Map.of());
    }

    @Override
    public void send(T value, Map<String, String> properties) {
        if (value == null) {
            throw new BindingException("output '" + outputName + "' of function '" + functionName
                    + "' was sent null; send nothing instead");
        }
        messages.add(stamp(codec.write(value, properties), functionName, outputName));
    }

    /** What was sent, in order. */
    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The output's name. */
    public String outputName() {
        return outputName;
    }

    /**
     * Marks {@code builder} as sent from {@code outputName} of {@code functionName}: the system
     * properties that give it the route source {@code /messages/modules/{function}/outputs/{output}}.
     */
    public static Message stamp(Message.Builder builder, String functionName, String outputName) {
        return builder.systemProperty(SystemProperties.CONNECTION_MODULE_ID, functionName)
                .systemProperty(SystemProperties.OUTPUT_NAME, outputName)
                .systemProperty(SystemProperties.MESSAGE_TYPE, null)
                .build();
    }
}
