package io.edgefn.routes.internal;

import io.edgefn.routes.Diagnostic;
import io.edgefn.routes.Sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The compiler's front end: route statements and lone conditions from text to compiled form,
 * with every diagnostic (1-based positions relative to the text given). Stateless and
 * thread-safe.
 */
public final class Frontend {

    /**
     * The longest route or condition text compiled, in characters (64 KiB; the longest useful
     * route, 2,000 tokens of long names, is a fraction of it). Checked before anything scans the
     * text, so a huge text costs nothing to refuse.
     */
    public static final int MAX_TEXT_CHARS = 64 * 1024;

    private Frontend() {
    }

    /**
     * Compiles a route statement. Errors and warnings are added to {@code diagnostics} (without a
     * route name); the result is {@code null} when there is any error.
     */
    public static Statement compileRoute(String routeText, List<Diagnostic> diagnostics) {
        if (tooLong(routeText, "route", diagnostics)) {
            return null;
        }
        SourceText text = new SourceText(routeText);
        List<Diagnostic> found = new ArrayList<>();
        ParsedRoute parsed = new Parser(text, found).parseRoute();
        if (parsed == null) {
            diagnostics.addAll(found);
            return null;
        }
        Condition condition = Condition.alwaysTrue();
        if (parsed.condition() != null) {
            ConditionCompiler compiler = new ConditionCompiler(text, found);
            Node root = compiler.compile(parsed.condition());
            if (root != null) {
                condition = new Condition(root, parsed.conditionText(), compiler.references());
            }
        }
        Sink sink = sink(parsed, text, found);
        diagnostics.addAll(found);
        boolean failed = found.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
        return failed ? null : new Statement(text, parsed, condition, sink);
    }

    /**
     * Compiles a lone condition (the text of a WHERE). Errors and warnings are added to
     * {@code diagnostics}; the result is {@code null} when there is any error. An empty condition
     * is always undefined, as in edgeHub.
     */
    public static Condition compileCondition(String conditionText, List<Diagnostic> diagnostics) {
        if (tooLong(conditionText, "condition", diagnostics)) {
            return null;
        }
        SourceText text = new SourceText(conditionText);
        List<Diagnostic> found = new ArrayList<>();
        Expr expr = new Parser(text, found).parseCondition();
        Condition result = null;
        if (expr != null) {
            ConditionCompiler compiler = new ConditionCompiler(text, found);
            Node root = compiler.compile(expr);
            if (root != null && found.stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR)) {
                result = new Condition(root, conditionText, compiler.references());
            }
        }
        diagnostics.addAll(found);
        return result;
    }

    /** Parses and prints a condition in a canonical spacing, or {@code null} if it does not parse. */
    public static String normalise(String conditionText) {
        if (conditionText.length() > MAX_TEXT_CHARS) {
            return null;
        }
        Expr expr = new Parser(new SourceText(conditionText), new ArrayList<>()).parseCondition();
        return expr == null ? null : Printer.print(expr);
    }

    /** Whether {@code text} is over {@link #MAX_TEXT_CHARS}, after reporting it at the first character past the limit. */
    private static boolean tooLong(String text, String what, List<Diagnostic> diagnostics) {
        if (text.length() <= MAX_TEXT_CHARS) {
            return false;
        }
        SourceText upToTheLimit = new SourceText(text.substring(0, MAX_TEXT_CHARS + 1));
        diagnostics.add(upToTheLimit.error(Diagnostic.Phase.SYNTAX, String.format(Locale.ROOT,
                "The %s text is %,d characters long; at most %,d (64 KiB) are supported, and it passes the limit here",
                what, text.length(), MAX_TEXT_CHARS), MAX_TEXT_CHARS, MAX_TEXT_CHARS + 1));
        return true;
    }

    private static Sink sink(ParsedRoute parsed, SourceText text, List<Diagnostic> found) {
        String name = parsed.sinkName();
        if (parsed.sinkAddress() == null) {
            if (name.equalsIgnoreCase("$upstream")) {
                return Sink.Upstream.INSTANCE;
            }
            found.add(text.error(Diagnostic.Phase.SINK, "Unknown system endpoint '" + name
                    + "': the only system endpoint is $upstream", parsed.sinkStart(), parsed.sinkEnd()));
            return null;
        }
        if (!name.equalsIgnoreCase("BrokeredEndpoint")) {
            found.add(text.error(Diagnostic.Phase.SINK, "Unknown endpoint '" + name
                    + "': a function or module input is written BrokeredEndpoint(\"/modules/{id}/inputs/{input}\")",
                    parsed.sinkStart(), parsed.sinkEnd()));
            return null;
        }
        String address = parsed.sinkAddress().strip();
        String inner = address.startsWith("/") ? address.substring(1) : address;
        inner = inner.endsWith("/") ? inner.substring(0, inner.length() - 1) : inner;
        String[] parts = inner.split("/", -1);
        boolean shaped = parts.length == 4 && parts[0].equals("modules") && parts[2].equals("inputs")
                && !parts[1].isBlank() && !parts[3].isBlank();
        if (!shaped) {
            found.add(text.error(Diagnostic.Phase.SINK, "BrokeredEndpoint address '" + parsed.sinkAddress()
                    + "' is not of the form /modules/{id}/inputs/{input}", parsed.sinkStart(), parsed.sinkEnd()));
            return null;
        }
        return new Sink.FunctionInput(parts[1], parts[3]);
    }
}
