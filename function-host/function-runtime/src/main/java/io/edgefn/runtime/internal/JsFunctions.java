package io.edgefn.runtime.internal;

import io.edgefn.js.JsEngine;
import io.edgefn.js.JsFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * A host's JavaScript side: its one {@link JsEngine}, created when the first JavaScript function
 * is wired (a host without JavaScript functions never loads the engine's classes), and every
 * {@link JsFunction} instance it started, to close them with the host.
 *
 * <p>Thread-safe: functions start on their own threads.
 */
final class JsFunctions implements AutoCloseable {

    private final JsEngine.Options options;
    private JsEngine engine;
    private final List<JsFunction> started = new ArrayList<>();
    private boolean closed;

    /** The JavaScript side of a host whose engine will have {@code options}. */
    JsFunctions(JsEngine.Options options) {
        this.options = options;
    }

    /** The JavaScript side of a host, with the engine's default limits. */
    static JsFunctions withDefaults() {
        return new JsFunctions(JsEngine.Options.defaults());
    }

    /** The host's engine, created on first use. */
    synchronized JsEngine engine() {
        if (closed) {
            throw new IllegalStateException("the host's JavaScript engine is closed");
        }
        if (engine == null) {
            engine = JsEngine.create(options);
        }
        return engine;
    }

    /** Keeps {@code function} to close with the host. */
    synchronized void started(JsFunction function) {
        if (closed) {
            function.close();
            throw new IllegalStateException("the host's JavaScript engine is closed");
        }
        started.add(function);
    }

    /** Closes every function started, then the engine. */
    @Override
    public synchronized void close() {
        closed = true;
        started.forEach(JsFunction::close);
        started.clear();
        if (engine != null) {
            engine.close();
        }
    }
}
