package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.Message;

/**
 * The per-message state of an evaluation: the message and its lazily parsed body, parsed at most
 * once and only when a condition reads {@code $body}; whether that body was unreadable; and the
 * conditions that failed on this message (see {@link Condition#evaluate(EvalContext)}). Owned by
 * one thread at a time; reused for the next message after {@link #reset}.
 */
public final class EvalContext {

    private Message message;
    private boolean bodyRead;
    private JsonNode body;
    private String bodyProblem;
    private boolean bodyUnreadable;
    private int dollarProperties;
    private int conditionFailures;
    private String lastFailure;

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
        this.bodyUnreadable = false;
        this.dollarProperties = UNKNOWN;
        this.conditionFailures = 0;
        this.lastFailure = null;
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
            Object parsed;
            try {
                parsed = JsonBody.parse(message);
            } catch (RuntimeException e) {
                // JsonBody catches what the reader throws; this is the net under it, so that no body drops a message.
                parsed = new JsonBody.Problem("the body cannot be read: " + e, true);
            }
            if (parsed instanceof JsonNode node) {
                body = node;
            } else {
                JsonBody.Problem problem = (JsonBody.Problem) parsed;
                bodyProblem = problem.reason();
                bodyUnreadable = problem.unreadable();
            }
        }
        return body;
    }

    /** Why {@code $body} is undefined for this message, once the body was read; else {@code null}. */
    public String bodyProblem() {
        return bodyProblem;
    }

    /**
     * Whether a condition read {@code $body} and the body, though marked as JSON, could not be
     * read (malformed, or beyond the reader's limits): {@code $body} was undefined for it.
     */
    public boolean bodyUnreadable() {
        return bodyUnreadable;
    }

    /** Records that evaluating {@code condition} on this message threw {@code failure}. */
    void conditionFailed(String condition, Throwable failure) {
        conditionFailures++;
        lastFailure = "evaluating the condition '" + condition + "' failed: " + failure;
    }

    /** How many condition evaluations threw on this message since {@link #reset}. */
    public int conditionFailures() {
        return conditionFailures;
    }

    /** What the last failed evaluation threw, for a person; {@code null} when none failed. */
    public String lastFailure() {
        return lastFailure;
    }
}
