package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import io.edgefn.api.MethodResult;
import io.edgefn.runtime.MethodResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One direct method call waiting in a function's queue or running: the method, its payload as the
 * message its parameters bind from, the caller's deadline, and the answer, completed exactly once
 * — by the invocation, by the caller's timeout on the scheduler, or by a stop.
 *
 * <p>Thread-safe: {@link #answer} from any thread; the first answer wins.
 */
final class MethodCall {

    private static final ObjectMapper JSON = new ObjectMapper();

    final BoundMethod method;
    final String methodName;
    final Message payload;
    /** {@link System#nanoTime()} by which the caller wants the answer. */
    final long deadlineNanos;
    final CompletableFuture<MethodResponse> response = new CompletableFuture<>();
    volatile ScheduledFuture<?> timer;

    MethodCall(BoundMethod method, String methodName, Message payload, long deadlineNanos) {
        this.method = method;
        this.methodName = methodName;
        this.payload = payload;
        this.deadlineNanos = deadlineNanos;
    }

    /** Answers the call unless it was answered already; cancels its timer. */
    void answer(MethodResponse answer) {
        if (response.complete(answer)) {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    /** Whether the call has its answer (then running it is pointless: the caller is gone). */
    boolean answered() {
        return response.isDone();
    }

    /** The host's own answer: {@code status} with {@code {"message": text}}. */
    static MethodResponse error(int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", message);
        return new MethodResponse(status, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The answer for what the method threw: 500 with its class and message. */
    static MethodResponse thrown(Throwable failure) {
        String message;
        try {
            message = failure.getMessage();
        } catch (Throwable broken) {
            message = null; // a user's exception is user code too
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("error", failure.getClass().getName())
                .put("message", message);
        return new MethodResponse(500, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The answer for what the method returned: a {@link MethodResult}'s status and payload, else
     * 200 and the value; written as JSON with {@code mapper} (the function's codec's). A
     * {@code byte[]} payload is taken as JSON already.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the payload cannot be written
     */
    static MethodResponse returned(Object result, ObjectMapper mapper) throws com.fasterxml.jackson.core.JsonProcessingException {
        int status = 200;
        Object payload = result;
        if (result instanceof MethodResult r) {
            status = r.status();
            payload = r.payload();
        }
        byte[] bytes = payload instanceof byte[] raw && raw.length > 0 ? raw : (mapper == null ? JSON : mapper).writeValueAsBytes(
                payload instanceof byte[] ? null : payload);
        return new MethodResponse(status, bytes);
    }
}
