package io.edgefn.routes;

import io.edgefn.api.Message;
import io.edgefn.routes.internal.Condition;
import io.edgefn.routes.internal.Printable;
import io.edgefn.routes.internal.Sources;
import io.edgefn.routes.internal.Statement;

import java.util.List;

/**
 * One compiled route: its canonical source, type-checked condition, validated sink and delivery
 * settings. Immutable and thread-safe.
 */
public final class CompiledRoute {

    private final RouteSpec spec;
    private final Statement statement;
    private final List<Diagnostic> warnings;

    CompiledRoute(RouteSpec spec, Statement statement, List<Diagnostic> warnings) {
        this.spec = spec;
        this.statement = statement;
        this.warnings = List.copyOf(warnings);
    }

    /** The route's name. */
    public String name() {
        return spec.name();
    }

    /** The route as it was given. */
    public RouteSpec spec() {
        return spec;
    }

    /** The canonical source, as edgeHub computes it ({@code /messages/*} → {@code /messages/}). */
    public String source() {
        return statement.canonicalSource();
    }

    /** The condition's text, or {@code true} for a route without WHERE. */
    public String conditionText() {
        return statement.conditionText();
    }

    /** Where the route delivers. */
    public Sink sink() {
        return statement.sink();
    }

    /** The priority: 0 (highest) … 9, or {@link RouteSpec#DEFAULT_PRIORITY}. */
    public int priority() {
        return spec.priority();
    }

    /** The time to live in seconds (0 = the deployment's default). */
    public long timeToLiveSecs() {
        return spec.timeToLiveSecs();
    }

    /** Whether deliveries to a function input are kept on disk. */
    public boolean durable() {
        return spec.durable();
    }

    /** The warnings about this route (it compiled, but may not do what was meant). */
    public List<Diagnostic> warnings() {
        return warnings;
    }

    /** Whether a message from {@code messageSource} (e.g. {@link Message#source()}) matches this route's source. */
    public boolean matchesSource(String messageSource) {
        return Sources.matches(source(), messageSource);
    }

    /** The condition's result for {@code message}, whatever its source. */
    public Truth evaluate(Message message) {
        return statement.condition().evaluate(message);
    }

    Condition condition() {
        return statement.condition();
    }

    /** {@code route 'name': text}, control characters escaped. */
    @Override
    public String toString() {
        return Printable.escape("route '" + name() + "': " + spec.text());
    }
}
