package io.edgefn.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.processor.FunctionModel.MethodModel;
import java.util.Collection;
import java.util.Comparator;


/**
 * Renders the function index, {@code META-INF/edgefn/functions.json}, exactly as
 * {@code docs/function-index.md} specifies it: {@code format} 1, functions sorted by name, keys in
 * the documented order. Stateless.
 */
final class IndexWriter {

    /** Where the index goes in the class output. */
    static final String RESOURCE = "META-INF/edgefn/functions.json";

    /** The index format this writer produces. */
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IndexWriter() {
    }

    /** The index of {@code functions} as JSON text. */
    static String render(Collection<FunctionModel> functions) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("functions");
        functions.stream().sorted(Comparator.comparing(FunctionModel::name)).forEach(f -> list.add(function(f)));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the function index", e);
        }
    }

    private static ObjectNode function(FunctionModel f) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", f.name());
        node.put("className", f.className());
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

    private static ObjectNode method(MethodModel m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", m.name());
        strings(node.putArray("parameterTypes"), m.parameterTypes());
        node.set("trigger", trigger(m.trigger()));
        node.put("returnType", m.returnType());
        node.put("returnOutput", m.returnOutput());
        ArrayNode parameters = node.putArray("parameters");
        m.parameters().forEach(p -> parameters.add(parameter(p)));
        return node;
    }

    private static ObjectNode trigger(Trigger trigger) {
        ObjectNode node = JSON.createObjectNode();
        switch (trigger) {
            case Trigger.Route route -> node.put("kind", "route").put("input", route.input());
            case Trigger.FixedRate rate -> node.put("kind", "timer")
                    .put("fixedRate", rate.fixedRate()).put("fixedRateMillis", rate.fixedRateMillis());
            case Trigger.Cron cron -> node.put("kind", "timer").put("cron", cron.cron());
        }
        return node;
    }

    private static ObjectNode parameter(Binding binding) {
        ObjectNode node = JSON.createObjectNode();
        node.put("binding", binding.kind());
        switch (binding) {
            case Binding.Body body when body.kind().equals(Binding.Body.POJO) -> node.put("type", body.type());
            case Binding.Property property -> node.put("name", property.name()).put("optional", property.optional());
            case Binding.Output output -> node.put("output", output.output()).put("elementType", output.elementType());
            default -> { }
        }
        return node;
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
    }

}
