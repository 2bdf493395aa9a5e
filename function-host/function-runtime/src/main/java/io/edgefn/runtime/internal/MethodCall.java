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
 * One call of a function method that someone waits for — a direct method call or an HTTP request
 * — waiting in a function's queue or running: the method, its payload as the message its
 * parameters bind from, the HTTP request if any, the caller's deadline, and the answer, completed
 * exactly once — by the invocation, by the caller's timeout on the scheduler, or by a stop. How
 * each outcome becomes an answer is the caller's {@link Answers}: {@link #DIRECT} for a direct
 * method's {@link MethodResponse}, {@link HttpAnswer#ANSWERS} for an HTTP response.
 *
 * <p>Thread-safe: {@link #answer} from any thread; the first answer wins.
 *
 * @param <R> the answer's type
 */
final class MethodCall<R> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How a call's outcomes become its answer.
     *
     * @param <R> the answer's type
     */
    interface Answers<R> {
        /** The answer for what the method returned ({@code null} for void), written with {@code mapper}. */
        R returned(Object result, ObjectMapper mapper) throws Exception;

        /** The host's own answer: {@code status} with {@code message}. */
        R error(int status, String message);

        /** The answer for what the method threw. */
        R thrown(Throwable failure);
    }

    /** A direct method's answers: {@link MethodResponse}s. */
    static final Answers<MethodResponse> DIRECT = new Answers<>() {
        @Override
        public MethodResponse returned(Object result, ObjectMapper mapper) throws Exception {
            return MethodCall.returned(result, mapper);
        }

        @Override
        public MethodResponse error(int status, String message) {
            return MethodCall.error(status, message);
        }

        @Override
        public MethodResponse thrown(Throwable failure) {
            return MethodCall.thrown(failure);
        }
    };

    final BoundMethod method;
    /** What is called, for messages: {@code direct method 'reset'}, {@code GET 'state/{pumpId}'}. */
    final String methodName;
    final Message payload;
    /** The HTTP request, or {@code null} for a direct method call. */
    final io.edgefn.api.HttpRequestData request;
    final Answers<R> answers;
    /** {@link System#nanoTime()} by which the caller wants the answer. */
    final long deadlineNanos;
    final CompletableFuture<R> response = new CompletableFuture<>();
    volatile ScheduledFuture<?> timer;

    MethodCall(BoundMethod method, String methodName, Message payload, io.edgefn.api.HttpRequestData request,
               Answers<R> answers, long deadlineNanos) {
        this.method = method;
        this.methodName = methodName;
        this.payload = payload;
        this.request = request;
        this.answers = answers;
        this.deadlineNanos = deadlineNanos;
    }

    /** Answers the call with the host's {@code status} and {@code message} unless it was answered already. */
    void answerError(int status, String message) {
        answer(answers.error(status, message));
    }

    /** Answers the call unless it was answered already; cancels its timer. */
    void answer(R answer) {
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
