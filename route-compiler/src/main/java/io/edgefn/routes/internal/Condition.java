package io.edgefn.routes.internal;

import io.edgefn.api.Message;
import io.edgefn.routes.Truth;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled, type-checked condition: a tree of specialised evaluators. Immutable and
 * thread-safe; evaluating it allocates nothing unless it reads {@code $body} (which the
 * {@link EvalContext} reads once per message, through a {@link BodyPlan}).
 */
public final class Condition {

    private final Node root;
    private final String text;
    private final List<Reference> references;
    private final boolean readsBody;
    private final BodyPlan bodyPlan;

    Condition(Node root, String text, List<Reference> references) {
        this.root = root;
        this.text = text;
        this.references = references;
        this.readsBody = references.stream().anyMatch(r -> r.kind() == Reference.Kind.BODY);
        this.bodyPlan = BodyPlan.ofPaths(bodyPaths());
    }

    /** The {@code $body} paths the condition reads, in the order written (with repeats). */
    List<BodyPath> bodyPaths() {
        return references.stream().filter(r -> r.kind() == Reference.Kind.BODY).map(Reference::path).toList();
    }

    /** The plan that extracts this condition's {@code $body} values in one streaming pass. */
    public BodyPlan bodyPlan() {
        return bodyPlan;
    }

    /** The condition that always holds (a route without WHERE). */
    public static Condition alwaysTrue() {
        return new Condition(Leaves.Constant.bool(Tri.TRUE), "true", List.of());
    }

    /** The condition's text as written. */
    public String text() {
        return text;
    }

    /** Whether the condition reads the message body. */
    public boolean readsBody() {
        return readsBody;
    }

    /**
     * The result for the context's message: {@link Tri#TRUE} (1), {@link Tri#FALSE} (-1) or
     * undefined (0). Never throws: a body that cannot be read makes {@code $body} undefined, and
     * should an evaluator fail all the same, the condition is undefined for this message and the
     * failure is recorded in the context ({@link EvalContext#conditionFailures()}), so one message
     * can never take the routes that do not need this condition down with it.
     */
    public int evaluate(EvalContext context) {
        try {
            return root.asTri(context);
        } catch (RuntimeException | StackOverflowError e) {
            context.conditionFailed(text, e);
            return Tri.UNDEFINED;
        }
    }

    /** The result for {@code message}. */
    public Truth evaluate(Message message) {
        return Tri.truth(evaluate(new EvalContext(message, bodyPlan)));
    }

    /**
     * Why this condition may be undefined for the context's message, for a person: missing
     * properties, a body that cannot be queried, body values that are undefined. Empty when
     * nothing it reads is missing (then an undefined result comes from the values, e.g. NaN).
     */
    public List<String> undefinedReasons(EvalContext context) {
        List<String> reasons = new ArrayList<>();
        Message m = context.message();
        for (Reference r : references) {
            String reason = switch (r.kind()) {
                case APP -> m.hasProperty(r.name()) ? null : "application property '" + r.name() + "' is missing";
                case DOLLAR -> m.hasProperty("$" + r.name()) || m.systemProperty(r.name()) != null ? null
                        : "system property '" + r.name() + "' is missing (and no application property '$" + r.name() + "')";
                case SYSTEM -> m.systemProperty(r.name()) != null ? null
                        : "system property '" + r.name() + "' is missing";
                case BODY -> {
                    if (context.body() == null) {
                        yield "$body." + r.name() + " is undefined because " + context.bodyProblem();
                    }
                    Object v = r.path().select(context.body());
                    yield v == Qv.UNDEFINED ? "$body." + r.name()
                            + " is undefined (an object, an array, a date string or not a number)" : null;
                }
            };
            if (reason != null && !reasons.contains(reason)) {
                reasons.add(reason);
            }
        }
        return reasons;
    }
}
