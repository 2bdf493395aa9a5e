package io.edgefn.routes.internal;

import java.util.ArrayList;
import java.util.List;

/** Compiled parts with a fault built in, for tests of what survives an evaluator that throws. */
public final class Faults {

    private Faults() {
    }

    /** The route {@code routeText} (which must compile) with a condition whose evaluation throws {@code failure}. */
    public static Statement withThrowingCondition(String routeText, RuntimeException failure) {
        List<io.edgefn.routes.Diagnostic> diagnostics = new ArrayList<>();
        Statement compiled = Frontend.compileRoute(routeText, diagnostics);
        if (compiled == null) {
            throw new IllegalArgumentException("does not compile: " + diagnostics);
        }
        SourceText text = new SourceText(routeText);
        ParsedRoute parsed = new Parser(text, new ArrayList<>()).parseRoute();
        return new Statement(text, parsed, throwing(compiled.conditionText(), failure), compiled.sink());
    }

    /** A condition with the text {@code text} whose evaluation throws {@code failure}. */
    static Condition throwing(String text, RuntimeException failure) {
        Node boom = new Node(Type.BOOL) {
            @Override
            int tri(EvalContext c) {
                throw failure;
            }
        };
        return new Condition(boom, text, List.of());
    }
}
