package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.Message;

/**
 * The per-message state of an evaluation: the message and its lazily parsed body, parsed at most
 * once and only when a condition reads {@code $body}. Owned by one thread at a time; reused for
 * the next message after {@link #reset}.
 */
public final class EvalContext {

    private Message message;
    private boolean bodyRead;
    private JsonNode body;
    private String bodyProblem;
    private int dollarProperties;

    /** A context for {@code message}. */
    public EvalContext(Message message) {
        reset(message);
    }

    /** Points this context at {@code message}, forgetting the previous message's body. */
    public void reset(Message next) {
        this.message = next;
        this.bodyRead = false;
        this.body = null;
        this.bodyProblem = null;
        this.dollarProperties = UNKNOWN;
    }

    private static final int UNKNOWN = 0;
    private static final int NONE = 1;
    private static final int SOME = 2;

    /**
     * The application property {@code name} (which starts with {@code $}) if the message has it,
     * else {@code fallback}. Messages rarely have such properties: one lookup per message finds out.
     */
    String dollarAppProperty(String name, String fallback) {
        if (dollarProperties == UNKNOWN) {
            dollarProperties = SOME;
            if (message.properties() instanceof java.util.NavigableMap<String, String> sorted) {
                String first = sorted.ceilingKey("$");
                dollarProperties = first != null && first.startsWith("$") ? SOME : NONE;
            }
        }
        if (dollarProperties == NONE) {
            return fallback;
        }
        String v = message.property(name);
        return v != null || message.hasProperty(name) ? v : fallback;
    }

    /** The message being evaluated. */
    public Message message() {
        return message;
    }

    /** The application property {@code name}: its value, {@code null} when present without one, or undefined. */
    String appProperty(String name) {
        String v = message.property(name);
        if (v == null && !message.hasProperty(name)) {
            return Values.UNDEFINED_STRING;
        }
        return v;
    }

    /** The system property {@code name}, or undefined. */
    String systemProperty(String name) {
        String v = message.systemProperty(name);
        return v == null ? Values.UNDEFINED_STRING : v;
    }

    /** The body as a JSON object, or {@code null} when it cannot be queried (see {@link #bodyProblem()}). */
    JsonNode body() {
        if (!bodyRead) {
            bodyRead = true;
            Object parsed = JsonBody.parse(message);
            if (parsed instanceof JsonNode node) {
                body = node;
            } else {
                bodyProblem = ((JsonBody.Problem) parsed).reason();
            }
        }
        return body;
    }

    /** Why {@code $body} is undefined for this message, once the body was read; else {@code null}. */
    public String bodyProblem() {
        return bodyProblem;
    }
}
