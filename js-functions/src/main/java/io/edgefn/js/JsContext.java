package io.edgefn.js;

import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * One sandboxed context of a JavaScript function: the module evaluated once, and the bridge
 * function ({@code invoke.js}) that calls its handlers. A context is used by one invocation at a
 * time; once cancelled (timeout, statement limit, heap guard) it is never used again.
 *
 * <p>Threading: {@link #call} on the invocation's thread; {@link #cancel} from any thread (the
 * watchdog, the heap guard) — it closes the context on a thread of its own, because a cancelling
 * close waits for the running code to stop.
 */
final class JsContext {

    private final Context context;
    private final Value invoke;
    private final JsHost host;
    private volatile String cancelled;

    private JsContext(Context context, Value invoke, JsHost host) {
        this.context = context;
        this.invoke = invoke;
        this.host = host;
    }

    /**
     * Creates a context and evaluates {@code module} in it (its top level runs: user code, under
     * the statement limit); checks each of {@code handlers} is an exported function.
     *
     * @throws JsException when the module throws, or a handler is missing or not a function
     */
    static JsContext open(JsEngine engine, String functionName, Source module, Source bridge, List<String> handlers,
                          List<String> outputs, boolean devices) {
        Context context = engine.newContext();
        try {
            Value ns = context.eval(module);
            for (String h : handlers) {
                Value handler = ns.getMember(h);
                if (handler == null || !handler.canExecute()) {
                    throw new JsException("function '" + functionName + "': " + module.getName() + " does not export a"
                            + " function '" + h + "' (it is " + (handler == null ? "missing" : handler) + ")");
                }
            }
            JsHost host = new JsHost();
            Value invoke = context.eval(bridge).execute(ns, host.proxy(),
                    ProxyArray.fromList(List.copyOf(outputs.stream().<Object>map(o -> o).toList())), devices,
                    functionName);
            return new JsContext(context, invoke, host);
        } catch (PolyglotException e) {
            context.close(true);
            throw new JsException("function '" + functionName + "': evaluating " + module.getName() + " failed: "
                    + JsFailures.describe(e), e);
        } catch (RuntimeException | Error e) {
            context.close(true);
            throw e;
        }
    }

    /** What the host side of this context does for the current invocation. */
    JsHost host() {
        return host;
    }

    /**
     * Calls {@code handler}; returns its result as JSON (or a string it returned), or {@code null}.
     *
     * @throws PolyglotException when it throws or is cancelled
     */
    String call(String handler, boolean timer, String bodyText, ProxyObject properties, ProxyObject systemProperties,
                String invocationId, long settingsVersion) {
        context.resetLimits();
        Value result = invoke.execute(handler, timer, bodyText, properties, systemProperties, invocationId,
                settingsVersion);
        return result.isNull() ? null : result.asString();
    }

    /** Why this context was cancelled, or {@code null} while it is usable. */
    String cancelled() {
        return cancelled;
    }

    /** Cancels what runs in this context and closes it, on a thread of its own; idempotent. */
    void cancel(String reason) {
        if (cancelled != null) {
            return;
        }
        cancelled = reason;
        Thread.ofPlatform().daemon().name("edgefn-js-cancel").start(this::closeNow);
    }

    /** Closes the context, cancelling whatever runs in it; on the caller's thread. */
    void closeNow() {
        try {
            context.close(true);
        } catch (PolyglotException | IllegalStateException e) {
            // Already closed, or closing from inside: nothing more to do.
        }
    }
}
