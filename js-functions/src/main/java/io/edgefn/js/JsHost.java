package io.edgefn.js;

import com.fasterxml.jackson.core.type.TypeReference;
import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommands;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.bindings.BindingException;
import io.edgefn.bindings.BindingScope;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.CollectingOutput;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host's side of one context's bridge: the only things a script can reach, as
 * {@link ProxyExecutable}s taking and returning strings and numbers (the sandbox allows no host
 * object). Each acts on the invocation the context runs now ({@link #begin}).
 *
 * <p>Owned by the thread running the context's current invocation.
 */
final class JsHost {

    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final System.Logger.Level[] LEVELS = {System.Logger.Level.DEBUG, System.Logger.Level.INFO,
            System.Logger.Level.WARNING, System.Logger.Level.ERROR};

    /** The invocation a context runs: its scope, and what it needs of the host. */
    record Call(String functionName, BindingScope scope, BodyCodec codec, DeviceCommands devices, String settingsJson,
                long deadlineNanos, java.util.List<String> outputs) {
    }

    private Call call;
    private final Map<String, CollectingOutput<Object>> outputs = new HashMap<>(4);

    void begin(Call current) {
        this.call = current;
        outputs.clear();
    }

    void end() {
        this.call = null;
        outputs.clear();
    }

    ProxyObject proxy() {
        Map<String, Object> members = new HashMap<>();
        members.put("send", (ProxyExecutable) this::send);
        members.put("log", (ProxyExecutable) this::log);
        members.put("settings", (ProxyExecutable) args -> current().settingsJson());
        members.put("now", (ProxyExecutable) args -> current().scope().context().clock().millis());
        members.put("command", (ProxyExecutable) this::command);
        return ProxyObject.fromMap(Map.copyOf(members));
    }

    private Call current() {
        Call c = call;
        if (c == null) {
            throw new IllegalStateException("a JavaScript function called the host outside an invocation");
        }
        return c;
    }

    /** {@code send(output, text, propertiesJson|null, isText)}. */
    private Object send(Value... args) {
        Call c = current();
        String name = args[0].asString();
        if (!c.outputs().contains(name)) {
            // The bridge checks this first; the host does not rely on script code for it.
            throw new BindingException("output '" + name + "' is not declared by function '" + c.functionName() + "'");
        }
        String text = args[1].asString();
        Map<String, String> properties = args[2].isNull() ? Map.of() : readProperties(c, args[2].asString(), name);
        CollectingOutput<Object> output = outputs.computeIfAbsent(name, n -> {
            CollectingOutput<Object> created = new CollectingOutput<>(c.functionName(), n, c.codec());
            c.scope().addOutput(created);
            return created;
        });
        Object value = args[3].asBoolean() ? text : Message.builder().jsonBody(text).build();
        output.send(value, properties);
        return null;
    }

    private static Map<String, String> readProperties(Call c, String json, String output) {
        try {
            return c.codec().mapper().readValue(json, STRING_MAP);
        } catch (Exception e) {
            throw new BindingException("the properties sent to output '" + output + "' of function '" + c.functionName()
                    + "' must be an object of strings, not " + json);
        }
    }

    /** {@code log(level 0..3, text)}. */
    private Object log(Value... args) {
        FunctionContext context = current().scope().context();
        int level = args[0].asInt();
        context.logger().log(LEVELS[Math.max(0, Math.min(3, level))], args[1].asString());
        return null;
    }

    /** {@code command(deviceId, name, argsJson)}: waits for the device, until the invocation's deadline at most. */
    private Object command(Value... args) {
        Call c = current();
        if (c.devices() == null) {
            throw new BindingException("function '" + c.functionName() + "' did not declare deviceCommands");
        }
        Map<String, Object> commandArgs;
        try {
            commandArgs = c.codec().mapper().readValue(args[2].asString(), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (Exception e) {
            throw new BindingException("device command arguments must be an object, not " + args[2].asString());
        }
        try {
            CommandResult result = c.devices().send(args[0].asString(), args[1].asString(), commandArgs)
                    .toCompletableFuture().get(Math.max(1, c.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", result.ok());
            answer.put("status", result.status().name());
            answer.put("detail", result.detail());
            answer.put("latencyMillis", result.latency().toMillis());
            return c.codec().toJson(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BindingException("interrupted while waiting for device " + args[0].asString());
        } catch (ExecutionException e) {
            throw new BindingException("device command " + args[1].asString() + " to " + args[0].asString() + " failed: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new BindingException("device command " + args[1].asString() + " to " + args[0].asString()
                    + " did not complete within the invocation's timeout");
        }
    }
}
