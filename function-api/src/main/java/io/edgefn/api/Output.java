package io.edgefn.api;

/**
 * A named output a function sends messages to, zero or more per invocation; declare it as a
 * parameter annotated {@link SendTo}.
 *
 * <p>A value is turned into a message body: a {@link Message} is sent as it is (its source
 * becomes this function's output), a {@code byte[]} as raw bytes, a {@code String} as UTF-8 text,
 * and anything else as JSON through Jackson. What is sent is routed when the invocation returns
 * successfully; if it throws or times out, nothing it sent leaves the function.
 *
 * <p>Valid only during the invocation it was passed to, on the thread running it.
 *
 * @param <T> what the function sends
 */
public interface Output<T> {

    /** Queues {@code value} to be sent from this output when the invocation completes. */
    void send(T value);

    /**
     * Queues {@code value} with extra application properties; {@code properties} must not hold
     * {@code null} keys.
     */
    void send(T value, java.util.Map<String, String> properties);
}
