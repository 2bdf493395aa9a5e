package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves a direct method: the cloud (or the embedding application) calls the method
 * {@link #value()} on the function, with a JSON payload, and waits for its status and JSON answer.
 *
 * <p>The payload binds like a message body: to a {@code String}, {@code byte[]}, a
 * {@code JsonNode}, a record or POJO, or the whole {@link Message} (whose body it is). The return
 * value is the answer: a {@link MethodResult} gives its status and payload, any other value is
 * status 200 with that value as JSON ({@code void} or {@code null}: a {@code null} payload); an
 * exception is status 500 with its message. {@code @SendTo} on the method is an error (its value
 * is the answer); {@code @SendTo Output<T>} parameters send messages as usual when it succeeds.
 *
 * <p>A call runs like any invocation of the function — within its {@code maxConcurrency} and its
 * {@code timeoutMillis}, or the caller's timeout when that is shorter (then the caller gets 504 and
 * the invocation is interrupted) — ahead of the function's queued messages, and is never retried.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DirectMethodTrigger {

    /**
     * The direct method's name: 1 to 128 letters, digits, {@code -}, {@code _} and {@code .},
     * starting with a letter or digit; unique within the function.
     */
    String value();
}
