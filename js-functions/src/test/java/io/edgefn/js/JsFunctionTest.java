package io.edgefn.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.Message;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.index.FunctionDescriptor;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsFunctionTest {

    private static final String SCRIPT = """
            export const edgefn = {
              name: "fn",
              outputs: ["out"],
              triggers: [{route: "in", handler: "onIn", output: "out"}, {timer: "PT1S", handler: "tick"}],
            };
            let calls = 0;
            export function onIn(message, ctx) {
              calls++;
              const b = message.body;
              if (b.escape) {
                return eval(b.escape);
              }
              if (b.undeclared) {
                ctx.output("nope").send({x: 1});
              }
              ctx.output("out").send({seen: b.value * 2, device: message.systemProperties.connectionDeviceId ?? null});
              ctx.log.info("value " + b.value + " prop " + message.properties.kind);
              return {calls: calls, at: ctx.now()};
            }
            export function tick(ctx) {
              ctx.output("out").send("tick " + ctx.invocationId);
            }
            """;

    private static JsEngine engine;
    private static JsFunction fn;

    @BeforeAll
    static void start() {
        engine = JsEngine.create(JsEngine.Options.defaults().withStatementLimit(2_000_000));
        FunctionDescriptor d = JsDeclaration.read(engine, "js/fn.mjs", SCRIPT);
        fn = JsFunction.start(engine, d, SCRIPT, new BodyCodec(), null);
    }

    @AfterAll
    static void stop() {
        fn.close();
        engine.close();
    }

    private static Message json(String body) {
        return Message.builder().jsonBody(body).property("kind", "k1").build();
    }

    private static TestScope ok(String body) {
        TestScope scope = new TestScope(json(body));
        Message result = fn.call("onIn", scope, 5_000);
        assertThat(result.bodyAsString()).startsWith("{\"calls\":").endsWith(",\"at\":1000}");
        return scope;
    }

    @Test
    void call_bindsBodyPropertiesOutputsLogAndReturn() {
        TestScope scope = new TestScope(json("{\"value\": 21}"));
        Message result = fn.call("onIn", scope, 5_000);
        assertThat(result.systemProperty(io.edgefn.api.SystemProperties.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(result.bodyAsString()).contains("\"at\":1000");
        assertThat(scope.sent()).containsExactly("out: {\"seen\":42,\"device\":null}");
        assertThat(scope.logged).containsExactly("INFO value 21 prop k1");
    }

    @Test
    void call_timerGetsOnlyTheContext() {
        TestScope scope = new TestScope(null);
        assertThat(fn.call("tick", scope, 5_000)).isNull();
        assertThat(scope.sent()).containsExactly("out: tick fn#1");
    }

    @Test
    void call_undeclaredOutputFailsTheInvocation() {
        assertThatThrownBy(() -> fn.call("onIn", new TestScope(json("{\"undeclared\": true}")), 5_000))
                .isInstanceOf(JsException.class)
                .hasMessageContaining("output 'nope' is not declared by function 'fn'; its outputs are [out]");
        ok("{\"value\": 1}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Java.type('java.lang.System').exit(1)|Access to host class java.lang.System is not allowed",
            "load('/etc/passwd')|load is not defined",
            "require('fs')|require is not defined",
            "Polyglot.eval('js', '1')|Polyglot is not defined",
            "print('x')|print is not defined",
            "Packages.java.lang.Runtime|Packages is not defined",
            "(function f(n) { return f(n + 1) + 1; })(0)|Maximum call stack size exceeded",
            "new Worker('x')|Worker is not defined",
    })
    void call_sandboxEscapeIsRefusedAndTheNextMessageIsServed(String escape, String refusal) {
        String body = "{\"escape\": " + new BodyCodec().toJson(escape) + "}";
        assertThatThrownBy(() -> fn.call("onIn", new TestScope(json(body)), 5_000))
                .isInstanceOf(JsException.class)
                .hasMessageContaining(refusal);
        ok("{\"value\": 2}");
    }

    @Test
    void call_dynamicImportOfAModuleIsRefused() throws Exception {
        String body = "{\"escape\": \"import('fs')\"}";
        // import() returns a promise; it is rejected, and nothing was read.
        Message result = fn.call("onIn", new TestScope(json(body)), 5_000);
        assertThat(result.bodyAsString()).isEqualTo("{}");
        ok("{\"value\": 3}");
    }

    @Test
    void call_statementLimitStopsARunawayLoopAndTheContextIsReplaced() {
        assertThatThrownBy(() -> fn.call("onIn", new TestScope(json("{\"escape\": \"while (true) {}\"}")), 60_000))
                .isInstanceOf(JsException.class)
                .hasMessageContaining("Statement count limit of 2000000 exceeded");
        TestScope next = ok("{\"value\": 4}");
        // A new context: the module ran again, so its counter started again.
        assertThat(next.sent()).containsExactly("out: {\"seen\":8,\"device\":null}");
    }

    @Test
    void cancel_stopsAnInvocationPastItsTimeoutAndTheFunctionKeepsServing() throws Exception {
        try (JsEngine unlimited = JsEngine.create(JsEngine.Options.defaults().withStatementLimit(Long.MAX_VALUE))) {
            FunctionDescriptor d = JsDeclaration.read(unlimited, "js/fn.mjs", SCRIPT);
            try (JsFunction loop = JsFunction.start(unlimited, d, SCRIPT, new BodyCodec(), null)) {
                CountDownLatch started = new CountDownLatch(1);
                Thread[] runner = new Thread[1];
                CompletableFuture<Throwable> failed = CompletableFuture.supplyAsync(() -> {
                    runner[0] = Thread.currentThread();
                    started.countDown();
                    try {
                        loop.call("onIn", new TestScope(json("{\"escape\": \"for (;;) {}\"}")), 100);
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
                assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
                // The watchdog's part: the host's Invoker calls cancel when the timeout passes.
                org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                    loop.cancel(runner[0], "ran longer than 100 ms");
                    assertThat(failed).isDone();
                });
                assertThat(failed.get()).isInstanceOf(JsException.class)
                        .hasMessageContaining("was cancelled: ran longer than 100 ms");
                TestScope next = new TestScope(json("{\"value\": 5}"));
                loop.call("onIn", next, 5_000);
                assertThat(next.sent()).containsExactly("out: {\"seen\":10,\"device\":null}");
            }
        }
    }

    @Test
    void heapGuard_cancelsAHugeAllocationAndTheFunctionKeepsServing() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        JsEngine.Options options = JsEngine.Options.defaults().withStatementLimit(Long.MAX_VALUE)
                .withHeapLimitBytes(used + (64L << 20));
        try (JsEngine guarded = JsEngine.create(options)) {
            FunctionDescriptor d = JsDeclaration.read(guarded, "js/fn.mjs", SCRIPT);
            try (JsFunction hog = JsFunction.start(guarded, d, SCRIPT, new BodyCodec(), null)) {
                String grow = "{\"escape\": \"const keep = []; for (;;) { keep.push(new Array(100000).fill(1.5)); }\"}";
                assertThatThrownBy(() -> hog.call("onIn", new TestScope(json(grow)), 60_000))
                        .isInstanceOf(JsException.class)
                        .hasMessageContaining("above the JavaScript heap limit");
                TestScope next = new TestScope(json("{\"value\": 6}"));
                hog.call("onIn", next, 5_000);
                assertThat(next.sent()).containsExactly("out: {\"seen\":12,\"device\":null}");
            }
        }
    }
}
