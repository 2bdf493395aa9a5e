package io.edgefn.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import io.edgefn.routes.internal.Condition;
import io.edgefn.routes.internal.EvalContext;
import io.edgefn.routes.internal.Frontend;
import io.edgefn.routes.internal.Printable;
import io.edgefn.routes.internal.Sources;
import io.edgefn.routes.internal.Statement;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The engine of {@code edgefn route-check}: reads JSON Lines and answers each line with exactly
 * one JSON line, in order, echoing {@code "id"}. A line is a condition to evaluate against a
 * message, a route to check, or a pair of sources to match (formats in issue 3 and the route
 * language spec). A malformed line gets {@code {"result":"error","error":"bad input line: …"}}
 * and the next line is read. A condition whose message has a body marked as JSON that cannot be
 * read (malformed, nested too deep, too long) is answered with {@code "result":"error"} saying so
 * (routes treat {@code $body} as undefined for such a message, and count it). No line ends the
 * session: whatever goes wrong answering one is that line's error. Stateless; each call owns its
 * reader and writer.
 */
public final class RouteCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteCheck() {
    }

    /** Answers every line of {@code in} with one JSON line on {@code out}, flushed per line. */
    public static void run(Reader in, Writer out) {
        forEachLine(in, line -> {
            write(out, JSON.writeValueAsString(answer(line)) + "\n");
        });
    }

    /**
     * Prints, for each input line with a {@code message} and a {@code condition}, {@code route}
     * or {@code routes} object, the trace in words: which routes fire, which do not and why.
     * Control characters from the input are escaped, as everywhere text is printed for people.
     */
    public static void explain(Reader in, Writer out) {
        forEachLine(in, line -> write(out, explainLine(line)));
    }

    /**
     * Prints, for each input line with a {@code message} (and optionally its {@code source} and an
     * {@code id}), which of {@code table}'s routes fire for it and why the others do not: what
     * {@code edgefn route-check --deployment FILE --explain} does with a deployment's routes. A
     * line that is not such a message is answered with {@code bad input line: …} and the next
     * line is read.
     */
    public static void explain(Reader in, Writer out, RouteTable table) {
        forEachLine(in, line -> write(out, explainMessage(line, table)));
    }

    private static String explainMessage(String line, RouteTable table) {
        try {
            JsonNode input = JSON.readTree(line);
            if (input == null || !input.isObject()) {
                throw new BadInput("expected a JSON object with a \"message\"");
            }
            for (String key : new String[] {"condition", "route", "routes"}) {
                if (input.has(key)) {
                    throw new BadInput("\"" + key + "\" is not read here: the routes are the deployment's; a line"
                            + " gives a \"message\" and, optionally, its \"source\"");
                }
            }
            if (!input.has("message")) {
                throw new BadInput("expected a \"message\" to route through the deployment's routes");
            }
            Message message = MessageJson.read(input.get("message"), sourceOf(input));
            StringBuilder out = new StringBuilder();
            if (input.has("id")) {
                out.append(Printable.escape(input.get("id").asText())).append(": ");
            }
            return out.append(table.trace(message).explain()).append('\n').toString();
        } catch (JsonProcessingException e) {
            return Printable.escape("bad input line: not JSON: " + firstLine(e.getOriginalMessage())) + "\n\n";
        } catch (BadInput | IllegalArgumentException e) {
            return Printable.escape("bad input line: " + e.getMessage()) + "\n\n";
        } catch (RuntimeException | StackOverflowError e) {
            return Printable.escape("this line cannot be explained: " + e.getMessage()) + "\n\n";
        }
    }

    /**
     * The line's message source: its {@code "source"}, or one written inside {@code "message"}
     * (where a user naturally puts it), or {@code /messages}; both, when they differ, is an error.
     */
    static String sourceOf(JsonNode input) {
        JsonNode message = input.get("message");
        String outer = input.has("source") ? text(input, "source") : null;
        String inner = message != null && message.isObject() && message.has("source") ? text(message, "source") : null;
        if (outer != null && inner != null && !outer.equals(inner)) {
            throw new BadInput("\"source\" is given twice, '" + outer + "' on the line and '" + inner
                    + "' in \"message\": give it once");
        }
        return outer != null ? outer : inner != null ? inner : "/messages";
    }

    /** The answer to one input line (never throws for any line). */
    static ObjectNode answer(String line) {
        try {
            return answerLine(line);
        } catch (RuntimeException | StackOverflowError e) {
            ObjectNode result = JSON.createObjectNode();
            try {
                JsonNode input = JSON.readTree(line);
                if (input != null && input.has("id")) {
                    result.set("id", input.get("id"));
                }
            } catch (JsonProcessingException | RuntimeException ignored) {
                // the id is a courtesy: the error below is the answer either way
            }
            result.put("result", "error");
            result.put("error", "this line cannot be answered: " + (e.getMessage() != null ? e.getMessage()
                    : "the route compiler failed on it (" + e.getClass().getSimpleName() + ")"));
            return result;
        }
    }

    private static ObjectNode answerLine(String line) {
        ObjectNode result = JSON.createObjectNode();
        JsonNode input;
        try {
            input = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return badLine(result, "not JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (input == null || !input.isObject()) {
            return badLine(result, "expected a JSON object");
        }
        if (input.has("id")) {
            result.set("id", input.get("id"));
        }
        try {
            if (input.has("condition")) {
                checkCondition(input, result);
            } else if (input.has("route")) {
                checkRoute(input, result);
            } else if (input.has("routeSource") || input.has("messageSource")) {
                matchSources(input, result);
            } else {
                badLine(result, "expected \"condition\", \"route\", or \"routeSource\" with \"messageSource\"");
            }
        } catch (BadInput e) {
            result.removeAll();
            if (input.has("id")) {
                result.set("id", input.get("id"));
            }
            badLine(result, e.getMessage());
        }
        return result;
    }

    private static void checkCondition(JsonNode input, ObjectNode result) {
        String text = text(input, "condition");
        Message message = MessageJson.read(input.get("message"), sourceOf(input));
        List<Diagnostic> diagnostics = new ArrayList<>();
        Condition condition = Frontend.compileCondition(text, diagnostics);
        if (condition == null) {
            result.put("result", "error");
            result.put("error", diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR)
                    .map(Diagnostic::message).collect(Collectors.joining("; ")));
        } else {
            EvalContext context = new EvalContext(message);
            int value = condition.evaluate(context);
            if (context.conditionFailures() > 0) {
                result.put("result", "error");
                result.put("error", context.lastFailure() + " (routes treat the condition as undefined for this message)");
            } else if (context.bodyUnreadable()) {
                result.put("result", "error");
                result.put("error", "the message body cannot be read: " + context.bodyProblem()
                        + " (routes treat $body as undefined for this message, and count it)");
            } else {
                result.put("result", (value > 0 ? Truth.TRUE : value < 0 ? Truth.FALSE : Truth.UNDEFINED).word());
            }
        }
        ArrayNode list = result.putArray("diagnostics");
        for (Diagnostic d : diagnostics) {
            ObjectNode o = list.addObject();
            o.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
            o.put("message", d.message());
            o.put("line", d.line());
            o.put("column", d.column());
            o.put("endColumn", d.endColumn());
        }
    }

    private static void checkRoute(JsonNode input, ObjectNode result) {
        String text = text(input, "route");
        List<Diagnostic> diagnostics = new ArrayList<>();
        Statement statement = Frontend.compileRoute(text, diagnostics);
        result.put("result", statement == null ? "error" : "ok");
        if (statement != null) {
            result.put("source", statement.canonicalSource());
            result.put("condition", statement.conditionText());
            result.put("sink", statement.sink().address());
        }
        ArrayNode errors = result.putArray("errors");
        ArrayNode warnings = result.putArray("warnings");
        for (Diagnostic d : diagnostics) {
            ObjectNode o = (d.severity() == Diagnostic.Severity.ERROR ? errors : warnings).addObject();
            o.put("phase", d.phase().name().toLowerCase(Locale.ROOT));
            o.put("message", d.message());
            o.put("line", d.line());
            o.put("column", d.column());
        }
    }

    private static void matchSources(JsonNode input, ObjectNode result) {
        String route = text(input, "routeSource");
        String message = text(input, "messageSource");
        result.put("result", Sources.matches(route, message));
    }

    private static String explainLine(String line) {
        try {
            JsonNode input = JSON.readTree(line);
            if (input == null || !input.isObject()) {
                throw new BadInput("expected a JSON object");
            }
            Message message = MessageJson.read(input.get("message"), sourceOf(input));
            List<RouteSpec> specs = new ArrayList<>();
            if (input.has("condition")) {
                specs.add(RouteSpec.of("condition", "FROM /* WHERE " + text(input, "condition") + " INTO $upstream"));
            } else if (input.has("route")) {
                specs.add(RouteSpec.of(input.has("name") ? text(input, "name") : "route", text(input, "route")));
            } else if (input.has("routes") && input.get("routes").isObject()) {
                for (var e : input.get("routes").properties()) {
                    if (!e.getValue().isTextual()) {
                        throw new BadInput("route '" + e.getKey() + "' must be a string");
                    }
                    specs.add(RouteSpec.of(e.getKey(), e.getValue().textValue()));
                }
            } else {
                throw new BadInput("expected \"condition\", \"route\" or \"routes\" with a \"message\"");
            }
            RouteTable table = RouteCompiler.create().compileTable(specs, null);
            StringBuilder out = new StringBuilder();
            if (input.has("id")) {
                out.append(Printable.escape(input.get("id").asText())).append(": ");
            }
            out.append(table.trace(message).explain());
            for (Diagnostic w : table.warnings()) {
                out.append("  warning: ").append(w).append('\n');
            }
            return out.append('\n').toString();
        } catch (JsonProcessingException e) {
            return Printable.escape("bad input line: not JSON: " + firstLine(e.getOriginalMessage())) + "\n\n";
        } catch (BadInput | IllegalArgumentException e) {
            return Printable.escape("bad input line: " + e.getMessage()) + "\n\n";
        } catch (RouteCompilationException e) {
            return "the routes do not compile:\n" + e.getMessage().indent(2) + "\n";
        } catch (RuntimeException | StackOverflowError e) {
            return Printable.escape("this line cannot be explained: " + e.getMessage()) + "\n\n";
        }
    }

    private static String text(JsonNode input, String field) {
        JsonNode v = input.get(field);
        if (v == null || !v.isTextual()) {
            throw new BadInput("\"" + field + "\" must be a string");
        }
        return v.textValue();
    }

    private static ObjectNode badLine(ObjectNode result, String why) {
        result.put("result", "error");
        result.put("error", "bad input line: " + why);
        return result;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private interface LineHandler {
        void handle(String line) throws IOException;
    }

    private static void forEachLine(Reader in, LineHandler handler) {
        try {
            BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in);
            String line;
            while ((line = reader.readLine()) != null) {
                handler.handle(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Writer out, String text) throws IOException {
        out.write(text);
        out.flush();
    }

    /** A line that does not follow the input format; its message says how. */
    static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message, null, false, false);
        }
    }
}
