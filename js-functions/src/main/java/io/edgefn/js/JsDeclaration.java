package io.edgefn.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.triggers.Schedule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Reads the declaration a JavaScript function module exports as {@code edgefn} and checks it the
 * way the annotation processor checks a Java function: a valid name, route inputs and outputs that
 * are identifiers, timers that parse (ISO-8601 duration or six-field NCRONTAB), handlers that are
 * exported functions, return outputs that are declared, no input served twice. The module is
 * evaluated in the same sandbox the host uses (its top level runs, under the statement limit; no
 * handler is called) and the declaration is read as JSON ({@code JSON.stringify} inside the
 * sandbox), so it holds only JSON values.
 *
 * <pre>{@code
 * export const edgefn = {
 *   name: "anomaly-detector",          // required
 *   maxConcurrency: 1, timeoutMillis: 2000, retries: 2,   // optional, the Java defaults 1, 10000, 2
 *   outputs: ["anomalies"],            // the outputs ctx.output(name) may send to
 *   deviceCommands: false,             // ctx.devices only when true
 *   triggers: [
 *     {route: "aggregates", handler: "onAggregate", output: "anomalies"},  // return value to output
 *     {timer: "PT5S", handler: "tick"}, {cron: "0 0 * * * *", handler: "hourly"},
 *   ],
 * };
 * }</pre>
 *
 * <p>Stateless; {@link #read} from any thread.
 */
public final class JsDeclaration {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern JS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Set<String> KEYS = Set.of("name", "maxConcurrency", "timeoutMillis", "retries", "outputs",
            "deviceCommands", "triggers");
    private static final Set<String> TRIGGER_KEYS = Set.of("route", "timer", "cron", "handler", "output");

    private JsDeclaration() {
    }

    /**
     * The function {@code code} (an ES module whose jar entry is {@code source}) declares.
     *
     * @throws JsException listing every problem, each naming {@code source} and where in the
     *                     declaration it is
     */
    public static FunctionDescriptor read(JsEngine engine, String source, String code) {
        String declarationJson;
        Set<String> functions = new HashSet<>();
        try (Context context = engine.newContext()) {
            Value ns;
            try {
                ns = context.eval(Source.newBuilder("js", code, source).mimeType("application/javascript+module")
                        .buildLiteral());
            } catch (PolyglotException e) {
                throw new JsException(source + ": the module does not evaluate: " + JsFailures.describe(e), e);
            }
            if (ns == null || !ns.hasMember("edgefn")) {
                throw new JsException(source + ": the module exports no 'edgefn' declaration; add"
                        + " `export const edgefn = {name: \"...\", triggers: [...]}`");
            }
            for (String key : ns.getMemberKeys()) {
                if (ns.getMember(key).canExecute()) {
                    functions.add(key);
                }
            }
            try {
                Value stringify = context.eval("js", "(v) => JSON.stringify(v)");
                Value text = stringify.execute(ns.getMember("edgefn"));
                declarationJson = text.isNull() ? "null" : text.asString();
            } catch (PolyglotException e) {
                throw new JsException(source + ": the 'edgefn' declaration is not JSON: " + JsFailures.describe(e), e);
            }
        }
        JsonNode declaration;
        try {
            declaration = JSON.readTree(declarationJson);
        } catch (Exception e) {
            throw new JsException(source + ": the 'edgefn' declaration is not JSON: " + e.getMessage(), e);
        }
        return check(source, declaration, functions);
    }

    /** Checks {@code d}, a declaration read from {@code source} whose exported functions are {@code functions}. */
    static FunctionDescriptor check(String source, JsonNode d, Set<String> functions) {
        List<String> problems = new ArrayList<>();
        if (!d.isObject()) {
            throw new JsException(source + ": 'edgefn' must be an object, not " + d, List.of("edgefn: not an object"), null);
        }
        for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problems.add("edgefn." + key + ": unknown key; the keys are " + new TreeSet<>(KEYS)
                        + (key.equals("state") ? " (the State binding is not available to JavaScript functions yet)" : ""));
            }
        }
        String name = d.path("name").isTextual() ? d.get("name").asText() : null;
        if (name == null || !FUNCTION_NAME.matcher(name).matches()) {
            problems.add("edgefn.name: " + (name == null ? "missing or not a string" : "'" + name + "'")
                    + "; a function name is letters, digits, '-', '_' and '.', starting with a letter");
        }
        int concurrency = (int) number(d, "maxConcurrency", 1, 1, 1024, problems);
        long timeout = number(d, "timeoutMillis", 10_000, 1, 3_600_000, problems);
        int retries = (int) number(d, "retries", 2, 0, 100, problems);
        TreeSet<String> outputs = new TreeSet<>();
        JsonNode out = d.path("outputs");
        if (!out.isMissingNode() && !out.isArray()) {
            problems.add("edgefn.outputs: must be an array of output names, not " + out);
        }
        for (int i = 0; i < out.size(); i++) {
            JsonNode o = out.get(i);
            if (!o.isTextual() || !IDENTIFIER.matcher(o.asText()).matches()) {
                problems.add("edgefn.outputs[" + i + "]: " + o + " is not an output name (letters, digits, '-' and '_')");
            } else if (!outputs.add(o.asText())) {
                problems.add("edgefn.outputs[" + i + "]: output '" + o.asText() + "' is declared twice");
            }
        }
        JsonNode dc = d.path("deviceCommands");
        if (!dc.isMissingNode() && !dc.isBoolean()) {
            problems.add("edgefn.deviceCommands: must be true or false, not " + dc);
        }
        List<MethodDescriptor> methods = new ArrayList<>();
        TreeSet<String> inputs = new TreeSet<>();
        JsonNode triggers = d.path("triggers");
        if (!triggers.isArray() || triggers.isEmpty()) {
            problems.add("edgefn.triggers: must be a non-empty array of triggers such as {route: \"in\", handler: \"onIn\"}");
        } else {
            for (int i = 0; i < triggers.size(); i++) {
                MethodDescriptor m = trigger("edgefn.triggers[" + i + "]", triggers.get(i), functions, outputs, problems);
                if (m != null) {
                    if (m.trigger() instanceof TriggerDescriptor.Route r && !inputs.add(r.input())) {
                        problems.add("edgefn.triggers[" + i + "]: route input '" + r.input()
                                + "' triggers two handlers; it triggers one");
                    }
                    methods.add(m);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new JsException(source + ": the 'edgefn' declaration has " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", problems), problems, null);
        }
        return new FunctionDescriptor(name, null, concurrency, timeout, retries, List.copyOf(inputs),
                List.copyOf(outputs), dc.asBoolean(false), methods, FunctionDescriptor.JS, source);
    }

    private static MethodDescriptor trigger(String at, JsonNode t, Set<String> functions, Set<String> outputs,
                                            List<String> problems) {
        if (!t.isObject()) {
            problems.add(at + ": a trigger is an object such as {route: \"in\", handler: \"onIn\"}, not " + t);
            return null;
        }
        int before = problems.size();
        for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TRIGGER_KEYS.contains(key)) {
                problems.add(at + "." + key + ": unknown key; a trigger's keys are " + new TreeSet<>(TRIGGER_KEYS));
            }
        }
        String handler = t.path("handler").isTextual() ? t.get("handler").asText() : null;
        if (handler == null || !JS_NAME.matcher(handler).matches()) {
            problems.add(at + ".handler: " + (handler == null ? "missing" : "'" + handler + "' is not a JavaScript name"));
        } else if (!functions.contains(handler)) {
            problems.add(at + ".handler: the module exports no function '" + handler + "'"
                    + (functions.isEmpty() ? "" : "; it exports " + new TreeSet<>(functions)));
        }
        int kinds = (t.has("route") ? 1 : 0) + (t.has("timer") ? 1 : 0) + (t.has("cron") ? 1 : 0);
        TriggerDescriptor trigger = null;
        if (kinds != 1) {
            problems.add(at + ": a trigger has exactly one of 'route', 'timer' (an ISO-8601 duration) and 'cron'");
        } else if (t.has("route")) {
            String input = t.get("route").asText(null);
            if (!t.get("route").isTextual() || !IDENTIFIER.matcher(input).matches()) {
                problems.add(at + ".route: " + t.get("route") + " is not a route input name (letters, digits, '-' and '_')");
            } else {
                trigger = new TriggerDescriptor.Route(input);
            }
        } else {
            String key = t.has("timer") ? "timer" : "cron";
            JsonNode value = t.get(key);
            try {
                if (!value.isTextual()) {
                    throw new IllegalArgumentException("must be a string, not " + value);
                }
                trigger = switch (Schedule.parse(key.equals("timer") ? value.asText() : null,
                        key.equals("cron") ? value.asText() : null)) {
                    case Schedule.FixedRate rate -> TriggerDescriptor.Timer.ofFixedRate(value.asText(), rate.period().toMillis());
                    case Schedule.Cron cron -> TriggerDescriptor.Timer.ofCron(cron.cron().expression());
                };
            } catch (IllegalArgumentException e) {
                problems.add(at + "." + key + ": " + e.getMessage());
            }
        }
        String output = null;
        if (t.has("output")) {
            output = t.get("output").asText(null);
            if (!t.get("output").isTextual() || !outputs.contains(output)) {
                problems.add(at + ".output: " + t.get("output") + " is not one of the declared outputs " + outputs);
            }
        }
        if (problems.size() != before) {
            return null;
        }
        return new MethodDescriptor(handler, List.of(), trigger, "any", output, List.of());
    }

    private static long number(JsonNode d, String key, long defaultValue, long min, long max, List<String> problems) {
        JsonNode n = d.get(key);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            problems.add("edgefn." + key + ": " + n + " must be a whole number from " + min + " to " + max);
            return defaultValue;
        }
        return n.asLong();
    }
}
