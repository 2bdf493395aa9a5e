package io.edgefn.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/**
 * Renders a function index as docs/function-index.md specifies it: keys in the documented order,
 * functions in index order, indented, with a final newline. {@link IndexReader} reads back what
 * this writes.
 *
 * <p>The output is part of the contract: the same index always gives the same bytes, so a package
 * built twice from the same sources holds the same file. Stateless and thread-safe.
 */
final class IndexWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IndexWriter() {
    }

    /** {@code index} as JSON text. */
    static String render(FunctionIndex index) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", index.format());
        ArrayNode list = root.putArray("functions");
        index.functions().forEach(f -> list.add(function(f)));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the function index", e);
        }
    }

    private static ObjectNode function(FunctionDescriptor f) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", f.name());
        if (f.isJs()) {
            // A Java function's index has no runtime key: the bytes stay what they always were.
            node.put("runtime", f.runtime());
            node.put("source", f.source());
        } else {
            node.put("className", f.className());
        }
        node.put("maxConcurrency", f.maxConcurrency());
        node.put("timeoutMillis", f.timeoutMillis());
        node.put("retries", f.retries());
        strings(node.putArray("inputs"), f.inputs());
        strings(node.putArray("outputs"), f.outputs());
        node.put("usesDeviceCommands", f.usesDeviceCommands());
        ArrayNode methods = node.putArray("methods");
        f.methods().forEach(m -> methods.add(method(m)));
        return node;
    }

    private static ObjectNode method(MethodDescriptor m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", m.name());
        strings(node.putArray("parameterTypes"), m.parameterTypes());
        node.set("trigger", trigger(m.trigger()));
        node.put("returnType", m.returnType());
        node.put("returnOutput", m.returnOutput());
        ArrayNode parameters = node.putArray("parameters");
        m.parameters().forEach(p -> parameters.add(parameter(p)));
        if (m.retry() != null) {
            // Only when the method has one: indexes of methods without @Retry keep their bytes.
            node.putObject("retry").put("maxAttempts", m.retry().maxAttempts()).put("delay", m.retry().delay())
                    .put("backoff", m.retry().backoff()).put("maxDelay", m.retry().maxDelay());
        }
        return node;
    }

    private static ObjectNode trigger(TriggerDescriptor trigger) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", trigger.kind().indexName());
        switch (trigger) {
            case TriggerDescriptor.Route route -> node.put("input", route.input());
            case TriggerDescriptor.Timer timer when timer.cron() != null -> node.put("cron", timer.cron());
            case TriggerDescriptor.Timer timer -> node.put("fixedRate", timer.fixedRate())
                    .put("fixedRateMillis", timer.fixedRateMillis());
            case TriggerDescriptor.DirectMethod method -> node.put("method", method.method());
            case TriggerDescriptor.DesiredProperties desired -> { }
            case TriggerDescriptor.Lifecycle lifecycle -> node.put("phase", lifecycle.phase().indexName());
            case TriggerDescriptor.DeviceEvent device -> node.put("device", device.device());
            case TriggerDescriptor.Http http -> {
                node.put("path", http.path());
                strings(node.putArray("methods"), http.methods());
            }
            case TriggerDescriptor.Mqtt mqtt -> {
                strings(node.putArray("topics"), mqtt.topics());
                node.put("qos", mqtt.qos()).put("broker", mqtt.broker());
            }
        }
        return node;
    }

    /** The parameter's object: {@code binding}, then its kind's own keys ({@link ParameterDescriptor.Kind#keys()}). */
    private static ObjectNode parameter(ParameterDescriptor parameter) {
        ObjectNode node = JSON.createObjectNode();
        node.put("binding", parameter.binding());
        switch (parameter) {
            case ParameterDescriptor.Body body -> node.put("type", body.type());
            case ParameterDescriptor.Property property -> node.put("name", property.name())
                    .put("optional", property.optional());
            case ParameterDescriptor.Output output -> node.put("output", output.output())
                    .put("elementType", output.elementType());
            case ParameterDescriptor.Message message -> { }
            case ParameterDescriptor.BodyBytes bytes -> { }
            case ParameterDescriptor.BodyString string -> { }
            case ParameterDescriptor.BodyJson json -> { }
            case ParameterDescriptor.Context context -> { }
            case ParameterDescriptor.DeviceCommands devices -> { }
            case ParameterDescriptor.PathParam path -> node.put("name", path.name());
            case ParameterDescriptor.HttpRequest request -> { }
            case ParameterDescriptor.HttpCall call -> node.put("url", call.url()).put("urlSetting", call.urlSetting())
                    .put("timeoutMillis", call.timeoutMillis()).put("maxAttempts", call.maxAttempts())
                    .put("backoffMillis", call.backoffMillis()).put("retryNonIdempotent", call.retryNonIdempotent())
                    .put("trustPemSetting", call.trustPemSetting());
            case ParameterDescriptor.State state -> node.put("store", state.store())
                    .put("elementType", state.elementType());
            case ParameterDescriptor.ReportedProperties reported -> { }
            case ParameterDescriptor.Settings settings -> { }
            case ParameterDescriptor.MqttPublisher mqtt -> node.put("broker", mqtt.broker());
        }
        return node;
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
    }
}
