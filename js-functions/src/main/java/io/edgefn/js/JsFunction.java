package io.edgefn.js;

import io.edgefn.api.DeviceCommands;
import io.edgefn.api.Message;
import io.edgefn.api.Settings;
import io.edgefn.bindings.BindingScope;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * One deployed JavaScript function: its module parsed once ({@link Source}s are cached by the
 * shared engine, so every context reuses the parse), and a pool of sandboxed contexts, as many as
 * the function's {@code maxConcurrency} (a context runs one invocation at a time).
 *
 * <p>An invocation borrows an idle context (or opens one), calls the handler with the message's
 * body as text — parsed in JavaScript on first use of {@code message.body} — and its properties
 * as read-only proxies, and returns the context. A context whose invocation was cancelled (the
 * timeout through {@link #cancel}, the statement limit, the heap guard) is dropped and replaced
 * by a new one on the next call, so the function keeps serving.
 *
 * <p>Thread-safe: {@link #call} from up to {@code maxConcurrency} threads at once (more open extra
 * contexts); {@link #cancel} from any thread; {@link #close} once.
 */
public final class JsFunction implements AutoCloseable {

    private static final Source BRIDGE = bridge();

    private final JsEngine engine;
    private final FunctionDescriptor descriptor;
    private final Source module;
    private final List<String> handlers;
    private final BodyCodec codec;
    private final DeviceCommands devices;
    private final ArrayBlockingQueue<JsContext> idle;
    private final Map<Thread, JsContext> busy = new ConcurrentHashMap<>();
    private final AtomicLong settingsVersion = new AtomicLong();
    private volatile Settings lastSettings;
    private volatile String lastSettingsJson;
    private volatile boolean closed;

    private JsFunction(JsEngine engine, FunctionDescriptor descriptor, Source module, BodyCodec codec,
                       DeviceCommands devices) {
        this.engine = engine;
        this.descriptor = descriptor;
        this.module = module;
        this.handlers = descriptor.methods().stream().map(MethodDescriptor::name).distinct().toList();
        this.codec = codec;
        this.devices = descriptor.usesDeviceCommands() ? devices : null;
        this.idle = new ArrayBlockingQueue<>(descriptor.maxConcurrency());
    }

    /**
     * Starts {@code descriptor}'s function from its script {@code code}: opens its first context,
     * which runs the module's top level and checks every handler is an exported function.
     *
     * @param devices the host's device commands, used only when the function declared them
     * @throws JsException when the module does not evaluate or lacks a handler
     */
    public static JsFunction start(JsEngine engine, FunctionDescriptor descriptor, String code, BodyCodec codec,
                                   DeviceCommands devices) {
        if (!descriptor.isJs()) {
            throw new IllegalArgumentException("function " + descriptor.name() + " is not a js function");
        }
        Source module = Source.newBuilder("js", Objects.requireNonNull(code, "code"), descriptor.source())
                .mimeType("application/javascript+module").cached(true).buildLiteral();
        JsFunction function = new JsFunction(engine, descriptor, module, codec, devices);
        function.idle.add(function.open());
        return function;
    }

    private JsContext open() {
        return JsContext.open(engine, descriptor.name(), module, BRIDGE, handlers, descriptor.outputs(),
                devices != null);
    }

    /**
     * Runs the handler {@code handler} for the invocation {@code scope}: with {@code (message, ctx)}
     * when the scope has a message, with {@code (ctx)} for a timer tick.
     *
     * @return what the handler returned, as a JSON message (a string it returned as a text
     *         message), or {@code null} when it returned nothing
     * @throws JsException when the handler threw (its message and line), or the invocation was
     *                     cancelled (why: timeout, statement limit, heap)
     */
    public Message call(String handler, BindingScope scope, long timeoutMillis) {
        if (closed) {
            throw new JsException("function '" + descriptor.name() + "' is closed");
        }
        JsContext context = idle.poll();
        if (context == null) {
            context = open();
        }
        Thread thread = Thread.currentThread();
        busy.put(thread, context);
        engine.running(context);
        Message message = scope.message();
        JsHost host = context.host();
        host.begin(new JsHost.Call(descriptor.name(), scope, codec, devices, settingsJson(scope),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), descriptor.outputs()));
        boolean reusable = false;
        try {
            String result = context.call(handler, message == null,
                    message == null ? null : message.bodyAsString(),
                    message == null ? null : ProxyObject.fromMap(readOnly(message.properties())),
                    message == null ? null : ProxyObject.fromMap(readOnly(message.systemProperties())),
                    scope.context().invocationId(), settingsVersion.get());
            reusable = true;
            if (result == null) {
                return null;
            }
            return result.charAt(0) == 'J' ? Message.builder().jsonBody(result.substring(1)).build()
                    : Message.builder().body(result.substring(1)).build();
        } catch (PolyglotException e) {
            String cancelled = context.cancelled();
            if (cancelled != null) {
                throw new JsException("function '" + descriptor.name() + "' handler " + handler + " was cancelled: "
                        + cancelled, e);
            }
            if (e.isCancelled() || e.isResourceExhausted() || e.isInternalError() || e.isExit()) {
                context.cancel(JsFailures.describe(e));
                throw new JsException("function '" + descriptor.name() + "' handler " + handler + " was stopped: "
                        + JsFailures.describe(e), e);
            }
            if (e.isHostException()) {
                Throwable hostFailure = e.asHostException();
                reusable = true;
                if (hostFailure instanceof RuntimeException r) {
                    throw r;
                }
                throw new JsException("function '" + descriptor.name() + "': " + hostFailure, hostFailure);
            }
            reusable = true;
            throw new JsException("function '" + descriptor.name() + "' handler " + handler + " threw "
                    + JsFailures.describe(e), e);
        } finally {
            host.end();
            engine.idle(context);
            busy.remove(thread);
            if (reusable && context.cancelled() == null && !closed && idle.offer(context)) {
                // back in the pool
            } else if (context.cancelled() == null) {
                context.closeNow();
            }
        }
    }

    /**
     * Cancels the invocation running on {@code thread}, if any (its timeout passed): its context
     * is closed and replaced. Returns at once; never blocks.
     */
    public void cancel(Thread thread, String reason) {
        JsContext context = busy.get(thread);
        if (context != null) {
            context.cancel(reason);
        }
    }

    /** The function's declaration as its index records it. */
    public FunctionDescriptor descriptor() {
        return descriptor;
    }

    /** Closes every idle context; contexts still running are cancelled. */
    @Override
    public void close() {
        closed = true;
        for (JsContext c; (c = idle.poll()) != null; ) {
            c.closeNow();
        }
        busy.values().forEach(c -> c.cancel("the function is closing"));
    }

    /** The settings as JSON, rendered again only when the settings object changed. */
    private String settingsJson(BindingScope scope) {
        Settings settings = scope.context().settings();
        if (settings != lastSettings) {
            synchronized (this) {
                if (settings != lastSettings) {
                    lastSettingsJson = codec.toJson(settings.asMap());
                    lastSettings = settings;
                    settingsVersion.incrementAndGet();
                }
            }
        }
        return lastSettingsJson;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readOnly(Map<String, String> values) {
        return (Map<String, Object>) (Map<String, ?>) java.util.Collections.unmodifiableMap(values);
    }

    private static Source bridge() {
        try (InputStream in = JsFunction.class.getResourceAsStream("invoke.js")) {
            if (in == null) {
                throw new IllegalStateException("io/edgefn/js/invoke.js is missing from the edgefn-js jar");
            }
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "edgefn-invoke.js")
                    .cached(true).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
