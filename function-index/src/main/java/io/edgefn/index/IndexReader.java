package io.edgefn.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.index.json.Fields;
import io.edgefn.index.json.LocatedJson;
import io.edgefn.index.json.Problems;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a function index (docs/function-index.md) and reads it into descriptors, adding every
 * problem it finds to {@link Problems}.
 *
 * <p>What each binding and trigger kind may hold comes from {@link ParameterDescriptor.Kind} and
 * {@link TriggerDescriptor.Kind}; the switches that build descriptors from JSON go over those kinds
 * without a {@code default} branch, so a new kind does not compile until it is read here.
 *
 * <p>Owned by the one thread checking the index.
 */
final class IndexReader {

    private static final List<String> TOP_KEYS = List.of("format", "functions");
    private static final List<String> FUNCTION_KEYS = List.of("name", "className", "maxConcurrency", "timeoutMillis",
            "retries", "inputs", "outputs", "usesDeviceCommands", "methods", "runtime", "source");
    /** A JavaScript function's script: a relative jar path of plain segments ending in .js or .mjs. */
    private static final Pattern JS_SOURCE = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]*/)*[A-Za-z0-9_][A-Za-z0-9._-]*\\.m?js");
    private static final List<String> METHOD_KEYS = List.of("name", "parameterTypes", "trigger", "returnType",
            "returnOutput", "parameters", "retry");
    private static final List<String> RETRY_KEYS = List.of("maxAttempts", "delay", "backoff", "maxDelay");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_-]+");

    /** The binding kinds' names, sorted, for "is not one of". */
    private static final String BINDING_NAMES = Arrays.stream(ParameterDescriptor.Kind.values())
            .map(ParameterDescriptor.Kind::indexName).sorted().collect(Collectors.joining(", "));
    /** The trigger kinds' names, quoted, in declaration order, for "is not one of". */
    private static final String TRIGGER_NAMES = Arrays.stream(TriggerDescriptor.Kind.values())
            .map(k -> "'" + k.indexName() + "'").collect(Collectors.joining(", "));

    private final Problems problems;
    private final Fields fields;

    IndexReader(Problems problems) {
        this.problems = problems;
        this.fields = new Fields(problems);
    }

    FunctionIndex read(JsonNode rootNode) {
        ObjectNode root = fields.asObject(rootNode, "", "a function index");
        if (root == null) {
            return new FunctionIndex(FunctionIndex.FORMAT, List.of());
        }
        problems.unknownKeys(root, "", TOP_KEYS);
        Long format = fields.integer(root, "", "format", Long.MIN_VALUE, Long.MAX_VALUE, "1");
        if (format == null && !root.has("format")) {
            problems.at("", "missing required key 'format' at top level");
        } else if (format != null && format != FunctionIndex.FORMAT) {
            problems.at("format", "index format " + format + " is not supported; this host reads format "
                    + FunctionIndex.FORMAT + " (rebuild the package with a matching edgefn-processor)");
        }
        List<FunctionDescriptor> functions = new ArrayList<>();
        JsonNode list = root.get("functions");
        if (list == null) {
            problems.at("", "missing required key 'functions' at top level");
        } else if (!list.isArray()) {
            problems.at("functions", "'functions' must be an array, not " + Fields.kind(list));
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String at = LocatedJson.element("functions", i);
                ObjectNode f = fields.asObject(list.get(i), at, "a function");
                FunctionDescriptor d = f == null ? null : function(f, at);
                if (d != null && !names.add(d.name())) {
                    problems.at(LocatedJson.child(at, "name"), "function name '" + d.name() + "' is used twice");
                } else if (d != null) {
                    functions.add(d);
                }
            }
        }
        return new FunctionIndex(FunctionIndex.FORMAT, functions);
    }

    private FunctionDescriptor function(ObjectNode f, String at) {
        problems.unknownKeys(f, at, FUNCTION_KEYS);
        String name = fields.text(f, at, "name", true);
        if (name != null && !FUNCTION_NAME.matcher(name).matches()) {
            problems.at(LocatedJson.child(at, "name"), "function name '" + name
                    + "' must be letters, digits, '-', '_' and '.', starting with a letter");
            name = null;
        }
        String runtime = runtime(f, at);
        boolean js = FunctionDescriptor.JS.equals(runtime);
        String className = js ? absent(f, at, "className", "a js function has no class; its script is its 'source'")
                : nonEmpty(f, at, "className");
        String source = js ? jsSource(f, at) : absent(f, at, "source", "only a js function has a 'source'");
        Long concurrency = required(f, at, "maxConcurrency", 1, Integer.MAX_VALUE, "at least 1");
        Long timeout = required(f, at, "timeoutMillis", 1, Long.MAX_VALUE, "a positive number of milliseconds");
        Long retries = required(f, at, "retries", 0, Integer.MAX_VALUE, "0 or more");
        List<String> inputs = fields.strings(f, at, "inputs", true);
        List<String> outputs = fields.strings(f, at, "outputs", true);
        Boolean devices = fields.bool(f, at, "usesDeviceCommands");
        if (!f.has("usesDeviceCommands")) {
            problems.at(at, "missing required key 'usesDeviceCommands' in " + at);
        }
        List<MethodDescriptor> methods = methods(f, at);
        if (runtime == null || (js ? source == null : className == null)) {
            return null;
        }
        if (js && methods != null && !jsMethods(methods, at)) {
            return null;
        }
        if (name == null || concurrency == null || timeout == null || retries == null
                || inputs == null || outputs == null || devices == null || methods == null) {
            return null;
        }
        if (!uniqueTriggers(methods, at)) {
            return null;
        }
        TreeSet<String> wantInputs = new TreeSet<>();
        TreeSet<String> wantOutputs = new TreeSet<>();
        for (MethodDescriptor m : methods) {
            if (m.trigger() instanceof TriggerDescriptor.Route r) {
                wantInputs.add(r.input());
            }
            if (m.returnOutput() != null) {
                wantOutputs.add(m.returnOutput());
            }
            m.parameters().forEach(p -> {
                if (p instanceof ParameterDescriptor.Output o) {
                    wantOutputs.add(o.output());
                }
            });
        }
        union(inputs, wantInputs, at, "inputs", "route inputs");
        if (js) {
            // A script sends to the outputs its declaration names through ctx.output(name): they
            // are the function's outputs, and every handler's return output must be one of them.
            if (!outputs.equals(new ArrayList<>(new TreeSet<>(outputs))) || !outputs.containsAll(wantOutputs)) {
                problems.at(LocatedJson.child(at, "outputs"), "'outputs' is " + outputs + " but a js function's outputs"
                        + " are its declared outputs, sorted and unique, including its handlers' return outputs "
                        + wantOutputs);
            }
        } else {
            union(outputs, wantOutputs, at, "outputs", "outputs");
        }
        return new FunctionDescriptor(name, className, concurrency.intValue(), timeout, retries.intValue(),
                inputs, outputs, devices, methods, runtime, source);
    }

    /** The function's runtime: {@code java} when the key is absent, else {@code java} or {@code js}; null when bad. */
    private String runtime(ObjectNode f, String at) {
        if (!f.has("runtime")) {
            return FunctionDescriptor.JAVA;
        }
        String runtime = fields.text(f, at, "runtime", true);
        if (runtime != null && !runtime.equals(FunctionDescriptor.JAVA) && !runtime.equals(FunctionDescriptor.JS)) {
            problems.at(LocatedJson.child(at, "runtime"), "runtime '" + runtime + "' is not one of 'java', 'js'");
            return null;
        }
        return runtime;
    }

    /** Reports {@code key} when present ({@code why} says why it must not be); always null. */
    private String absent(ObjectNode f, String at, String key, String why) {
        if (f.has(key)) {
            problems.atKey(LocatedJson.child(at, key), "unexpected key '" + key + "': " + why);
        }
        return null;
    }

    private String jsSource(ObjectNode f, String at) {
        String source = fields.text(f, at, "source", true);
        if (source != null && !JS_SOURCE.matcher(source).matches()) {
            problems.at(LocatedJson.child(at, "source"), "source '" + source + "' must be a relative path in the jar,"
                    + " of letters, digits, '.', '_' and '-' separated by '/', ending in .js or .mjs");
            return null;
        }
        return source;
    }

    /**
     * Whether each method of a js function is one its runtime serves: a route or timer trigger, no
     * parameters (a handler is called with {@code (message, ctx)} or {@code (ctx)}), any return type.
     */
    private boolean jsMethods(List<MethodDescriptor> methods, String at) {
        boolean ok = true;
        for (int i = 0; i < methods.size(); i++) {
            MethodDescriptor m = methods.get(i);
            String mAt = LocatedJson.element(LocatedJson.child(at, "methods"), i);
            if (!(m.trigger() instanceof TriggerDescriptor.Route || m.trigger() instanceof TriggerDescriptor.Timer)) {
                problems.at(LocatedJson.child(mAt, "trigger"), "a js function's handlers are triggered by routes and"
                        + " timers, not by trigger kind '" + m.trigger().kind().indexName() + "'");
                ok = false;
            }
            if (!m.parameters().isEmpty()) {
                problems.at(LocatedJson.child(mAt, "parameters"), "a js handler has no parameter bindings; it is"
                        + " called with (message, ctx) or, for a timer, (ctx)");
                ok = false;
            }
        }
        return ok;
    }

    /** Whether no two methods serve one direct method or one input, and at most one takes desired patches. */
    private boolean uniqueTriggers(List<MethodDescriptor> methods, String at) {
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < methods.size(); i++) {
            String key = switch (methods.get(i).trigger()) {
                case TriggerDescriptor.Route r -> "input '" + r.input() + "'";
                case TriggerDescriptor.DirectMethod d -> "direct method '" + d.method() + "'";
                case TriggerDescriptor.DesiredProperties d -> "desired properties";
                case TriggerDescriptor.Timer t -> null;
                case TriggerDescriptor.Lifecycle l -> "lifecycle phase '" + l.phase().indexName() + "'";
                case TriggerDescriptor.DeviceEvent d -> "device '" + d.device() + "'";
                case TriggerDescriptor.Http h -> null; // checked below, method by method
                case TriggerDescriptor.Mqtt q -> null;
            };
            if (methods.get(i).trigger() instanceof TriggerDescriptor.Http h) {
                String shape = HttpPath.parse(h.path()).shape();
                for (String method : h.methods()) {
                    if (!seen.add("HTTP " + method + " " + shape)) {
                        problems.at(LocatedJson.child(LocatedJson.element(LocatedJson.child(at, "methods"), i), "trigger"),
                                "HTTP " + method + " '" + h.path() + "' triggers two methods of the function; it triggers one");
                        ok = false;
                    }
                }
            }
            if (key != null && !seen.add(key)) {
                problems.at(LocatedJson.child(LocatedJson.element(LocatedJson.child(at, "methods"), i), "trigger"),
                        key + " triggers two methods of the function; it triggers one");
                ok = false;
            }
        }
        return ok;
    }

    private void union(List<String> written, TreeSet<String> expected, String at, String key, String what) {
        if (!written.equals(new ArrayList<>(expected))) {
            problems.at(LocatedJson.child(at, key), "'" + key + "' is " + written + " but the sorted union of its methods' "
                    + what + " is " + expected);
        }
    }

    private List<MethodDescriptor> methods(ObjectNode f, String at) {
        JsonNode list = f.get("methods");
        String methodsAt = LocatedJson.child(at, "methods");
        if (list == null) {
            problems.at(at, "missing required key 'methods' in " + at);
            return null;
        }
        if (!list.isArray() || list.isEmpty()) {
            problems.at(methodsAt, "'methods' must be a non-empty array of methods, not "
                    + (list.isArray() ? "an empty one" : Fields.kind(list)));
            return null;
        }
        List<MethodDescriptor> methods = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < list.size(); i++) {
            String mAt = LocatedJson.element(methodsAt, i);
            ObjectNode m = fields.asObject(list.get(i), mAt, "a method");
            MethodDescriptor d = m == null ? null : method(m, mAt);
            valid &= d != null;
            if (d != null) {
                methods.add(d);
            }
        }
        return valid ? methods : null;
    }

    private MethodDescriptor method(ObjectNode m, String at) {
        problems.unknownKeys(m, at, METHOD_KEYS);
        String name = nonEmpty(m, at, "name");
        List<String> types = fields.strings(m, at, "parameterTypes", true);
        String returnType = nonEmpty(m, at, "returnType");
        String returnOutput = null;
        JsonNode ro = m.get("returnOutput");
        boolean returnOk = true;
        if (ro != null && !ro.isNull()) {
            returnOutput = identifier(m, at, "returnOutput", "returnOutput");
            returnOk = returnOutput != null;
        }
        if (returnOutput != null && "void".equals(returnType)) {
            problems.at(LocatedJson.child(at, "returnOutput"), "a void method cannot send its return value to output '"
                    + returnOutput + "'");
            returnOk = false;
        }
        TriggerDescriptor trigger = trigger(m, at);
        if (returnOutput != null && trigger instanceof TriggerDescriptor.DirectMethod) {
            problems.at(LocatedJson.child(at, "returnOutput"), "a direct method's return value is its answer; it cannot"
                    + " also go to output '" + returnOutput + "'");
            returnOk = false;
        }
        if (returnOutput != null && trigger instanceof TriggerDescriptor.Lifecycle) {
            problems.at(LocatedJson.child(at, "returnOutput"), "a lifecycle hook sends nothing; it cannot send its return"
                    + " value to output '" + returnOutput + "'");
            returnOk = false;
        }
        if (returnOutput != null && trigger instanceof TriggerDescriptor.Http) {
            problems.at(LocatedJson.child(at, "returnOutput"), "an HTTP method's return value is its answer; it cannot"
                    + " also go to output '" + returnOutput + "'");
            returnOk = false;
        }
        List<ParameterDescriptor> parameters = parameters(m, at, types, trigger);
        boolean retryOk = true;
        RetryDescriptor retry = null;
        if (m.has("retry")) {
            retry = retry(m, at, trigger);
            retryOk = retry != null;
        }
        if (name == null || types == null || returnType == null || !returnOk || trigger == null || parameters == null
                || !retryOk) {
            return null;
        }
        return new MethodDescriptor(name, types, trigger, returnType, returnOutput, parameters, retry);
    }

    private TriggerDescriptor trigger(ObjectNode m, String methodAt) {
        ObjectNode t = fields.object(m, methodAt, "trigger", true);
        if (t == null) {
            return null;
        }
        String at = LocatedJson.child(methodAt, "trigger");
        String name = fields.text(t, at, "kind", true);
        if (name == null) {
            return null;
        }
        TriggerDescriptor.Kind kind = TriggerDescriptor.Kind.forIndexName(name);
        if (kind == null) {
            problems.at(LocatedJson.child(at, "kind"), "trigger kind '" + name + "' is not one of " + TRIGGER_NAMES);
            return null;
        }
        problems.unknownKeys(t, at, keys("kind", kind.keys()));
        return switch (kind) {
            case ROUTE -> {
                String input = identifier(t, at, "input", "route input");
                yield input == null ? null : new TriggerDescriptor.Route(input);
            }
            case TIMER -> timer(t, at);
            case DIRECT_METHOD -> {
                String method = fields.text(t, at, "method", true);
                if (method != null && !TriggerDescriptor.DirectMethod.isValidName(method)) {
                    problems.at(LocatedJson.child(at, "method"), "direct method name '" + method + "' must be "
                            + TriggerDescriptor.DirectMethod.NAME_RULE);
                    yield null;
                }
                yield method == null ? null : new TriggerDescriptor.DirectMethod(method);
            }
            case DESIRED_PROPERTIES -> new TriggerDescriptor.DesiredProperties();
            case LIFECYCLE -> {
                String phase = fields.text(t, at, "phase", true);
                TriggerDescriptor.Lifecycle.Phase p = phase == null ? null : TriggerDescriptor.Lifecycle.Phase.forIndexName(phase);
                if (phase != null && p == null) {
                    problems.at(LocatedJson.child(at, "phase"), "lifecycle phase '" + phase + "' is not one of 'start', 'stop'");
                }
                yield p == null ? null : new TriggerDescriptor.Lifecycle(p);
            }
            case DEVICE_EVENT -> {
                String device = fields.text(t, at, "device", true);
                if (device != null && !TriggerDescriptor.DeviceEvent.isValidName(device)) {
                    problems.at(LocatedJson.child(at, "device"), "device id '" + device + "' must be "
                            + TriggerDescriptor.DeviceEvent.NAME_RULE);
                    yield null;
                }
                yield device == null ? null : new TriggerDescriptor.DeviceEvent(device);
            }
            case HTTP -> http(t, at);
            case MQTT -> mqtt(t, at);
        };
    }

    /** The method's {@code retry} object: a policy of its own, for a trigger that is retried at all. */
    private RetryDescriptor retry(ObjectNode m, String methodAt, TriggerDescriptor trigger) {
        ObjectNode r = fields.object(m, methodAt, "retry", true);
        if (r == null) {
            return null;
        }
        String at = LocatedJson.child(methodAt, "retry");
        problems.unknownKeys(r, at, RETRY_KEYS);
        if (trigger instanceof TriggerDescriptor.DirectMethod || trigger instanceof TriggerDescriptor.Lifecycle) {
            problems.at(at, "a " + (trigger instanceof TriggerDescriptor.DirectMethod ? "direct method" : "lifecycle hook")
                    + " is never retried; it cannot have a 'retry' policy");
            return null;
        }
        Long attempts = required(r, at, "maxAttempts", 1, Integer.MAX_VALUE, "at least 1");
        String delay = fields.text(r, at, "delay", true);
        String maxDelay = fields.text(r, at, "maxDelay", true);
        JsonNode backoff = r.get("backoff");
        if (backoff == null) {
            problems.at(at, "missing required key 'backoff' in " + at);
        } else if (!backoff.isNumber()) {
            problems.at(LocatedJson.child(at, "backoff"), "'backoff' must be a number, not " + Fields.kind(backoff));
        }
        if (attempts == null || delay == null || maxDelay == null || backoff == null || !backoff.isNumber()) {
            return null;
        }
        List<String> wrong = RetryDescriptor.problems(attempts.intValue(), delay, backoff.asDouble(), maxDelay);
        wrong.forEach(w -> problems.at(at, "retry policy: " + w));
        return wrong.isEmpty() ? new RetryDescriptor(attempts.intValue(), delay, backoff.asDouble(), maxDelay) : null;
    }

    private TriggerDescriptor http(ObjectNode t, String at) {
        String path = fields.text(t, at, "path", true);
        List<String> methods = fields.strings(t, at, "methods", true);
        if (path == null || methods == null) {
            return null;
        }
        try {
            HttpPath.parse(path);
        } catch (IllegalArgumentException e) {
            problems.at(LocatedJson.child(at, "path"), e.getMessage());
            return null;
        }
        try {
            return new TriggerDescriptor.Http(path, methods);
        } catch (IllegalArgumentException e) {
            problems.at(LocatedJson.child(at, "methods"), e.getMessage());
            return null;
        }
    }

    private TriggerDescriptor mqtt(ObjectNode t, String at) {
        List<String> topics = fields.strings(t, at, "topics", true);
        Long qos = required(t, at, "qos", 0, 1, "0 or 1");
        String broker = fields.text(t, at, "broker", true);
        if (topics == null || qos == null || broker == null) {
            return null;
        }
        if (topics.isEmpty()) {
            problems.at(LocatedJson.child(at, "topics"), "'topics' must hold at least one topic filter");
            return null;
        }
        boolean ok = brokerName(t, at, broker);
        for (int i = 0; i < topics.size(); i++) {
            String problem = TriggerDescriptor.Mqtt.filterProblem(topics.get(i));
            if (problem != null) {
                problems.at(LocatedJson.element(LocatedJson.child(at, "topics"), i), problem);
                ok = false;
            }
        }
        return ok ? new TriggerDescriptor.Mqtt(topics, qos.intValue(), broker) : null;
    }

    /** Whether {@code broker} is empty (the gateway's hub) or a name of letters, digits, '-' and '_'. */
    private boolean brokerName(ObjectNode o, String at, String broker) {
        if (!broker.isEmpty() && !IDENTIFIER.matcher(broker).matches()) {
            problems.at(LocatedJson.child(at, "broker"), "broker '" + broker
                    + "' must be empty (the gateway's hub) or a name of letters, digits, '-' and '_'");
            return false;
        }
        return true;
    }

    private TriggerDescriptor timer(ObjectNode t, String at) {
        String rate = fields.text(t, at, "fixedRate", false);
        Long millis = fields.integer(t, at, "fixedRateMillis", 1, Long.MAX_VALUE, "a positive number of milliseconds");
        String cron = fields.text(t, at, "cron", false);
        if (t.has("fixedRate") == t.has("cron")) {
            problems.at(at, "a timer trigger must have exactly one of 'fixedRate' and 'cron'");
            return null;
        }
        if (t.has("cron")) {
            if (t.has("fixedRateMillis")) {
                problems.atKey(LocatedJson.child(at, "fixedRateMillis"), "'fixedRateMillis' goes with 'fixedRate', not 'cron'");
                return null;
            }
            if (cron != null && cron.trim().split("\\s+").length != 6) {
                problems.at(LocatedJson.child(at, "cron"), "cron '" + cron
                        + "' must have six fields: second minute hour day-of-month month day-of-week");
                return null;
            }
            return cron == null ? null : TriggerDescriptor.Timer.ofCron(cron);
        }
        if (rate == null) {
            return null;
        }
        if (!t.has("fixedRateMillis")) {
            problems.at(at, "missing required key 'fixedRateMillis' beside 'fixedRate' in " + at);
            return null;
        }
        try {
            long parsed = Duration.parse(rate).toMillis();
            if (millis != null && parsed != millis) {
                problems.at(LocatedJson.child(at, "fixedRateMillis"), "fixedRateMillis " + millis
                        + " does not match fixedRate " + rate + " (" + parsed + " ms)");
                return null;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            problems.at(LocatedJson.child(at, "fixedRate"), "fixedRate '" + rate + "' is not an ISO-8601 duration such as PT1S");
            return null;
        }
        return millis == null ? null : TriggerDescriptor.Timer.ofFixedRate(rate, millis);
    }

    private List<ParameterDescriptor> parameters(ObjectNode m, String methodAt, List<String> types,
            TriggerDescriptor trigger) {
        JsonNode list = m.get("parameters");
        String at = LocatedJson.child(methodAt, "parameters");
        if (list == null) {
            problems.at(methodAt, "missing required key 'parameters' in " + methodAt);
            return null;
        }
        if (!list.isArray()) {
            problems.at(at, "'parameters' must be an array, not " + Fields.kind(list));
            return null;
        }
        if (types != null && types.size() != list.size()) {
            problems.at(at, "there are " + list.size() + " parameters but " + types.size() + " parameterTypes");
            return null;
        }
        List<ParameterDescriptor> parameters = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < list.size(); i++) {
            String pAt = LocatedJson.element(at, i);
            ObjectNode p = fields.asObject(list.get(i), pAt, "a parameter");
            ParameterDescriptor d = p == null ? null : parameter(p, pAt, types == null ? null : types.get(i), trigger);
            valid &= d != null;
            if (d != null) {
                parameters.add(d);
            }
        }
        return valid ? parameters : null;
    }

    private ParameterDescriptor parameter(ObjectNode p, String at, String type, TriggerDescriptor trigger) {
        String binding = fields.text(p, at, "binding", true);
        if (binding == null) {
            return null;
        }
        ParameterDescriptor.Kind kind = ParameterDescriptor.Kind.forIndexName(binding);
        if (kind == null) {
            problems.at(LocatedJson.child(at, "binding"), "binding '" + binding + "' is not one of " + BINDING_NAMES);
            return null;
        }
        problems.unknownKeys(p, at, keys("binding", kind.keys()));
        if (trigger instanceof TriggerDescriptor.Timer && kind.needsMessage()) {
            problems.at(LocatedJson.child(at, "binding"), "binding '" + binding
                    + "' needs a message, but a timer-triggered method has none");
            return null;
        }
        if (trigger instanceof TriggerDescriptor.Lifecycle && kind != ParameterDescriptor.Kind.CONTEXT) {
            problems.at(LocatedJson.child(at, "binding"), "binding '" + binding
                    + "' is not for a lifecycle hook, which takes nothing or its FunctionContext");
            return null;
        }
        // From the raw JSON: the parameter's type is checked before the binding's own keys are.
        String expectedType = switch (kind) {
            case BODY -> p.path("type").asText(null);
            case PROPERTY -> ParameterDescriptor.Property.typeFor(p.path("optional").asBoolean(false));
            case MESSAGE, BODY_BYTES, BODY_STRING, BODY_JSON, CONTEXT, OUTPUT, DEVICE_COMMANDS -> kind.fixedType();
            case PATH_PARAM, HTTP_REQUEST, HTTP_CALL -> kind.fixedType();
            case STATE, REPORTED_PROPERTIES, SETTINGS -> kind.fixedType();
            case MQTT_PUBLISHER -> kind.fixedType();
        };
        if ((kind == ParameterDescriptor.Kind.PATH_PARAM || kind == ParameterDescriptor.Kind.HTTP_REQUEST)
                && trigger != null && !(trigger instanceof TriggerDescriptor.Http)) {
            problems.at(LocatedJson.child(at, "binding"), "binding '" + binding
                    + "' needs an HTTP request, but the method is not HTTP-triggered");
            return null;
        }
        if (type != null && expectedType != null && !type.equals(expectedType)) {
            problems.at(at, "binding '" + binding + "' needs a parameter of type " + expectedType + ", but its type is "
                    + type);
            return null;
        }
        return switch (kind) {
            case MESSAGE -> new ParameterDescriptor.Message();
            case BODY_BYTES -> new ParameterDescriptor.BodyBytes();
            case BODY_STRING -> new ParameterDescriptor.BodyString();
            case BODY_JSON -> new ParameterDescriptor.BodyJson();
            case CONTEXT -> new ParameterDescriptor.Context();
            case DEVICE_COMMANDS -> new ParameterDescriptor.DeviceCommands();
            case MQTT_PUBLISHER -> {
                String broker = fields.text(p, at, "broker", true);
                yield broker == null || !brokerName(p, at, broker) ? null : new ParameterDescriptor.MqttPublisher(broker);
            }
            case BODY -> {
                String t = nonEmpty(p, at, "type");
                yield t == null ? null : new ParameterDescriptor.Body(t);
            }
            case PROPERTY -> {
                String name = nonEmpty(p, at, "name");
                Boolean optional = fields.bool(p, at, "optional");
                if (!p.has("optional")) {
                    problems.at(at, "missing required key 'optional' in " + at);
                }
                yield name == null || optional == null ? null : new ParameterDescriptor.Property(name, optional);
            }
            case HTTP_REQUEST -> new ParameterDescriptor.HttpRequest();
            case PATH_PARAM -> {
                String name = nonEmpty(p, at, "name");
                if (name != null && trigger instanceof TriggerDescriptor.Http h
                        && !HttpPath.parse(h.path()).parameters().contains(name)) {
                    problems.at(LocatedJson.child(at, "name"), "path parameter '" + name + "' is not in path '"
                            + h.path() + "'");
                    yield null;
                }
                yield name == null ? null : new ParameterDescriptor.PathParam(name);
            }
            case HTTP_CALL -> httpCall(p, at);
            case OUTPUT -> {
                String output = identifier(p, at, "output", "output");
                String element = nonEmpty(p, at, "elementType");
                yield output == null || element == null ? null : new ParameterDescriptor.Output(output, element);
            }
            case STATE -> {
                String store = nonEmpty(p, at, "store");
                if (store != null && !ParameterDescriptor.State.isValidName(store)) {
                    problems.at(LocatedJson.child(at, "store"), "store '" + store + "' must be "
                            + ParameterDescriptor.State.NAME_RULE);
                    store = null;
                }
                String element = nonEmpty(p, at, "elementType");
                yield store == null || element == null ? null : new ParameterDescriptor.State(store, element);
            }
            case REPORTED_PROPERTIES -> new ParameterDescriptor.ReportedProperties();
            case SETTINGS -> new ParameterDescriptor.Settings();
        };
    }

    private ParameterDescriptor httpCall(ObjectNode p, String at) {
        String url = nullableText(p, at, "url");
        String urlSetting = nullableText(p, at, "urlSetting");
        Long timeout = required(p, at, "timeoutMillis", 1, Integer.MAX_VALUE, "a positive number of milliseconds");
        Long attempts = required(p, at, "maxAttempts", 1, Integer.MAX_VALUE, "at least 1");
        Long backoff = required(p, at, "backoffMillis", 0, Integer.MAX_VALUE, "0 or more milliseconds");
        Boolean retryAll = fields.bool(p, at, "retryNonIdempotent");
        String trust = nullableText(p, at, "trustPemSetting");
        if ((url == null) == (urlSetting == null)) {
            problems.at(at, "an httpCall has exactly one of 'url' and 'urlSetting'");
            return null;
        }
        if (timeout == null || attempts == null || backoff == null || retryAll == null) {
            if (retryAll == null && !p.has("retryNonIdempotent")) {
                problems.at(at, "missing required key 'retryNonIdempotent' in " + at);
            }
            return null;
        }
        return new ParameterDescriptor.HttpCall(url, urlSetting, timeout.intValue(), attempts.intValue(),
                backoff.intValue(), retryAll, trust);
    }

    private String nullableText(ObjectNode o, String at, String key) {
        JsonNode node = o.get(key);
        return node == null || node.isNull() ? null : fields.text(o, at, key, false);
    }

    /** The keys an object of a kind may have: the key naming its kind, then the kind's own. */
    private static List<String> keys(String kindKey, List<String> kindKeys) {
        return Stream.concat(Stream.of(kindKey), kindKeys.stream()).toList();
    }

    private Long required(ObjectNode o, String at, String key, long min, long max, String range) {
        if (!o.has(key)) {
            problems.at(at, "missing required key '" + key + "' in " + at);
            return null;
        }
        return fields.integer(o, at, key, min, max, range);
    }

    private String nonEmpty(ObjectNode o, String at, String key) {
        String value = fields.text(o, at, key, true);
        if (value != null && value.isBlank()) {
            problems.at(LocatedJson.child(at, key), "'" + key + "' must not be empty");
            return null;
        }
        return value;
    }

    private String identifier(ObjectNode o, String at, String key, String what) {
        String value = fields.text(o, at, key, true);
        if (value != null && !IDENTIFIER.matcher(value).matches()) {
            problems.at(LocatedJson.child(at, key), what + " '" + value
                    + "' must be a name of letters, digits, '-' and '_'");
            return null;
        }
        return value;
    }
}
