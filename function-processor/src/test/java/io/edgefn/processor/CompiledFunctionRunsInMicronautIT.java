package io.edgefn.processor;

import io.edgefn.index.FunctionIndex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommands;
import io.edgefn.api.Output;
import io.edgefn.testing.InMemoryCompiler;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the good package, loads it in its own class loader and Micronaut context the way the
 * host does, finds each trigger method through the index alone, and invokes it.
 */
class CompiledFunctionRunsInMicronautIT {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withClassPathProcessors();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "short", short.class, "char", char.class,
            "int", int.class, "long", long.class, "float", float.class, "double", double.class);

    @TempDir
    Path out;

    @Test
    void goodPackage_loadedInItsOwnContext_invokesTriggerMethodsFoundThroughTheIndex() throws Exception {
        InMemoryCompiler.Result result = JAVAC.compile(Map.of(
                "com.example.pump.PumpShutdown", Sources.PUMP_SHUTDOWN,
                "com.example.other.Counter", Sources.COUNTER)).writeTo(out);
        assertThat(result.success()).as("%s", result.messages()).isTrue();
        JsonNode index = JSON.readTree(result.text(FunctionIndex.RESOURCE).orElseThrow());

        try (URLClassLoader cl = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
                ApplicationContext context = ApplicationContext.builder()
                        .classLoader(cl).deduceEnvironment(false).banner(false).start()) {
            JsonNode pump = function(index, "pump-shutdown");

            ExecutableMethod<Object, Object> onText = method(context, cl, pump, "onText");
            Object bean = context.getBean(definition(context, cl, pump.get("className").asText()));
            assertThat(onText.invoke(bean, "hello")).isEqualTo("echo:hello");
            assertThat(onText.getClass().getName()).doesNotContain("Reflection");

            Class<?> anomalyType = cl.loadClass("com.example.pump.PumpShutdown$Anomaly");
            Object anomaly = anomalyType.getConstructors()[0].newInstance("pump-7", 2.5);
            List<Object> alerts = new ArrayList<>();
            ExecutableMethod<Object, Object> onAnomaly = method(context, cl, pump, "onAnomaly");
            Object outcome = onAnomaly.invoke(bean, anomaly, new NoCommands(), new Collecting(alerts));
            assertThat(outcome.toString()).isEqualTo("Outcome[deviceId=pump-7, acknowledged=true]");
            assertThat(alerts).extracting(Object::toString).containsExactly("Alert[text=anomaly on pump-7]");
            assertThat(onAnomaly.getReturnType().getType().getName())
                    .isEqualTo(pump.at("/methods/0/returnType").asText());

            JsonNode counter = function(index, "counter.v2");
            ExecutableMethod<Object, Object> count = method(context, cl, counter, "count");
            Object counterBean = context.getBean(definition(context, cl, counter.get("className").asText()));
            count.invoke(counterBean, io.edgefn.api.Message.ofText("x"));
            assertThat(context.getBean(definition(context, cl, counter.get("className").asText())))
                    .as("a function is a singleton").isSameAs(counterBean);
        }
    }

    /**
     * The lookup the host does: the bean definition whose bean type is exactly the index's class
     * as loaded by the package's loader (the context also sees the parent loader's beans), then
     * its executable method by the index's name and parameter types.
     */
    private static ExecutableMethod<Object, Object> method(ApplicationContext context, ClassLoader cl, JsonNode function,
            String name) throws ClassNotFoundException {
        BeanDefinition<Object> definition = definition(context, cl, function.get("className").asText());
        JsonNode method = StreamSupport.stream(function.get("methods").spliterator(), false)
                .filter(m -> m.get("name").asText().equals(name)).findFirst().orElseThrow();
        List<Class<?>> types = new ArrayList<>();
        for (JsonNode type : method.get("parameterTypes")) {
            String typeName = type.asText();
            types.add(PRIMITIVES.containsKey(typeName) ? PRIMITIVES.get(typeName) : Class.forName(typeName, false, cl));
        }
        return definition.<Object>findMethod(name, types.toArray(Class<?>[]::new)).orElseThrow(
                () -> new AssertionError("no executable method " + name + types + " on " + definition));
    }

    @SuppressWarnings("unchecked")
    private static BeanDefinition<Object> definition(ApplicationContext context, ClassLoader cl, String className)
            throws ClassNotFoundException {
        Class<Object> type = (Class<Object>) Class.forName(className, false, cl);
        List<BeanDefinition<Object>> matches = context.getBeanDefinitions(type).stream()
                .filter(d -> d.getBeanType() == type && d.getBeanType().getClassLoader() == cl)
                .toList();
        assertThat(matches).as("bean definitions of %s", className).hasSize(1);
        return matches.getFirst();
    }

    private static JsonNode function(JsonNode index, String name) {
        return StreamSupport.stream(index.get("functions").spliterator(), false)
                .filter(f -> f.get("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static final class NoCommands implements DeviceCommands {
        @Override
        public CompletionStage<CommandResult> send(String deviceId, String name, Map<String, ?> args) {
            return CompletableFuture.failedFuture(new IllegalStateException("no devices in this test"));
        }
    }

    private record Collecting(List<Object> sent) implements Output<Object> {
        @Override
        public void send(Object value) {
            sent.add(value);
        }

        @Override
        public void send(Object value, Map<String, String> properties) {
            sent.add(value);
        }
    }
}
