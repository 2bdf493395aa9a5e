package io.edgefn.routes.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.Message;

/**
 * The per-message state of an evaluation: the message and its lazily read body, read at most
 * once and only when a condition reads {@code $body}; whether that body was unreadable; and the
 * conditions that failed on this message (see {@link Condition#evaluate(EvalContext)}). Owned by
 * one thread at a time; reused for the next message after {@link #reset}.
 *
 * <p>The body is read in one of two ways. With a {@link BodyPlan} (a route table's, holding the
 * paths of all its conditions, or one condition's), the first {@code $body} query extracts the
 * values of all the plan's paths in one streaming pass ({@link BodyPlan#extract}) and every query
 * of a planned path is answered from them. A query of a path outside the plan, a body the pass
 * leaves to the tree, and {@link #body()} (for traces) parse the whole body into a Jackson tree
 * ({@link JsonBody#parse}), as before; both ways give the same values.
 */
public final class EvalContext {

    private final BodyPlan plan;
    private final Object[] values;
    private final BodyScan scanner;
    /** {@link #UNKNOWN} until the plan's pass ran; then {@link #SOME} (values valid) or {@link #NONE} (the tree decides). */
    private int extracted;
    private Message message;
    private boolean bodyRead;
    private JsonNode body;
    private String bodyProblem;
    private boolean bodyUnreadable;
    private int dollarProperties;
    private int conditionFailures;
    private String lastFailure;

    /** A context for {@code message} that reads the body as a whole tree when a condition queries it. */
    public EvalContext(Message message) {
        this(message, BodyPlan.EMPTY);
    }

    /** A context for {@code message} that extracts {@code plan}'s paths in one streaming pass when a condition queries the body. */
    public EvalContext(Message message, BodyPlan plan) {
        this.plan = plan;
        this.values = new Object[plan.size()];
        this.scanner = plan.size() == 0 ? null : new BodyScan();
        reset(message);
    }

    /** Points this context at {@code message}, forgetting the previous message's body. */
    public void reset(Message next) {
        this.message = next;
        this.bodyRead = false;
        this.extracted = UNKNOWN;
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
            if (message.properties().isEmpty()) {
                dollarProperties = NONE;
            } else if (message.properties() instanceof java.util.NavigableMap<String, String> sorted) {
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

    /** The value of {@code $body} at {@code path}: a {@link Qv} value. */
    Object bodyValue(BodyPath path) {
        int slot = plan.slotOf(path);
        if (slot >= 0) {
            if (extracted == UNKNOWN) {
                extracted = NONE;
                if (JsonBody.isUtf8Json(message)) {
                    try {
                        if (plan.extract(message.body(), values, scanner)) {
                            extracted = SOME;
                        }
                    } catch (RuntimeException e) {
                        // extract catches what the parser throws; the tree decides this body, as below
                    }
                }
            }
            if (extracted == SOME) {
                return values[slot];
            }
        }
        JsonNode root = body();
        return root == null ? Qv.UNDEFINED : path.select(root);
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
