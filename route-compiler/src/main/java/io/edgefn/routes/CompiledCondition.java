package io.edgefn.routes;

import io.edgefn.api.Message;
import io.edgefn.routes.internal.Condition;
import io.edgefn.routes.internal.EvalContext;

/**
 * A route condition (the text after {@code WHERE}) compiled on its own: for filters that use the
 * route language outside a route, tools, and measurements of the evaluator itself. Immutable and
 * thread-safe; each thread evaluates through its own {@link #evaluator()}.
 */
public final class CompiledCondition {

    private final Condition condition;

    CompiledCondition(Condition condition) {
        this.condition = condition;
    }

    /** The condition's text, as given. */
    public String text() {
        return condition.text();
    }

    /** Whether the condition reads {@code $body} (then the body is parsed, at most once per message). */
    public boolean readsBody() {
        return condition.readsBody();
    }

    /** The result for {@code message}; allocates its evaluation state (use an {@link Evaluator} in loops). */
    public Truth evaluate(Message message) {
        return condition.evaluate(message);
    }

    /** A new evaluator for one thread. */
    public Evaluator evaluator() {
        return new Evaluator(condition);
    }

    /**
     * Evaluates the condition against one message after another, reusing its state: a condition
     * that reads no {@code $body} allocates nothing per message. Owned by one thread.
     */
    public static final class Evaluator {
        private final Condition condition;
        private final EvalContext context;

        private Evaluator(Condition condition) {
            this.condition = condition;
            this.context = new EvalContext(null, condition.bodyPlan());
        }

        /** The result for {@code message}. */
        public Truth evaluate(Message message) {
            context.reset(message);
            try {
                int result = condition.evaluate(context);
                return result > 0 ? Truth.TRUE : result < 0 ? Truth.FALSE : Truth.UNDEFINED;
            } finally {
                context.reset(null);
            }
        }
    }
}
