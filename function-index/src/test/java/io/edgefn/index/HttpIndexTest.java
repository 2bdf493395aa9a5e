package io.edgefn.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP triggers, path parameters, request data and HTTP calls in the index, and {@link HttpPath}. */
class HttpIndexTest {

    private static final ParameterDescriptor.HttpCall VENDOR =
            new ParameterDescriptor.HttpCall(null, "vendorUrl", 800, 3, 100, false, "vendorCa");

    private static FunctionIndex index(TriggerDescriptor trigger, List<ParameterDescriptor> parameters) {
        MethodDescriptor m = new MethodDescriptor("state", parameters.stream().map(ParameterDescriptor::requiredType).toList(),
                trigger, "com.example.State", null, parameters);
        MethodDescriptor m2 = new MethodDescriptor("reset", List.of(), new TriggerDescriptor.Http("state/{pumpId}/reset",
                List.of("POST")), "void", null, List.of());
        return new FunctionIndex(FunctionIndex.FORMAT, List.of(new FunctionDescriptor("pump-monitor", "com.example.Pump", 2,
                500, 0, List.of(), List.of(), false, List.of(m, m2))));
    }

    @Test
    void write_thenRead_givesTheSameHttpDescriptors() {
        FunctionIndex written = index(new TriggerDescriptor.Http("state/{pumpId}", List.of("GET", "PUT")),
                List.of(new ParameterDescriptor.PathParam("pumpId"), new ParameterDescriptor.HttpRequest(), VENDOR,
                        new ParameterDescriptor.HttpCall("https://vendor.example/api", null, 5000, 1, 0, true, null)));

        String json = written.toJson();

        assertThat(json).contains("\"kind\" : \"http\"", "\"path\" : \"state/{pumpId}\"", "\"binding\" : \"pathParam\"",
                "\"binding\" : \"httpRequest\"", "\"binding\" : \"httpCall\"", "\"urlSetting\" : \"vendorUrl\"");
        assertThat(IndexRoundTripTest.read(json)).isEqualTo(written);
    }

    @Test
    void read_pathParameterNotInThePath_isAProblemAtTheParameter() {
        String json = index(new TriggerDescriptor.Http("state/{pumpId}", List.of("GET")),
                List.of(new ParameterDescriptor.PathParam("pumpId"))).toJson().replace("\"name\" : \"pumpId\"", "\"name\" : \"pump\"");

        assertThatThrownBy(() -> IndexRoundTripTest.read(json)).isInstanceOf(IndexException.class)
                .hasMessageContaining("path parameter 'pump' is not in path 'state/{pumpId}'");
    }

    @Test
    void read_badPathOrMethod_isAProblemAtTheTrigger() {
        String json = index(new TriggerDescriptor.Http("state/{pumpId}", List.of("GET")), List.of()).toJson();

        assertThatThrownBy(() -> IndexRoundTripTest.read(json.replace("\"state/{pumpId}\"", "\"state//x\"")))
                .isInstanceOf(IndexException.class).hasMessageContaining("has an empty segment (segment 2)");
        assertThatThrownBy(() -> IndexRoundTripTest.read(json.replace("\"GET\"", "\"TRACE\"")))
                .isInstanceOf(IndexException.class).hasMessageContaining("distinct methods of [GET, POST, PUT, PATCH, DELETE]");
    }

    @Test
    void read_twoMethodsOnTheSameMethodAndPathShape_isAProblem() {
        String json = index(new TriggerDescriptor.Http("state/{id}/reset", List.of("POST")), List.of()).toJson();

        assertThatThrownBy(() -> IndexRoundTripTest.read(json)).isInstanceOf(IndexException.class)
                .hasMessageContaining("HTTP POST 'state/{pumpId}/reset' triggers two methods of the function");
    }

    @Test
    void read_pathParameterOnARouteMethod_isAProblem() {
        String json = index(new TriggerDescriptor.Route("in"), List.of(new ParameterDescriptor.PathParam("id"))).toJson();

        assertThatThrownBy(() -> IndexRoundTripTest.read(json)).isInstanceOf(IndexException.class)
                .hasMessageContaining("binding 'pathParam' needs an HTTP request, but the method is not HTTP-triggered");
    }

    @Test
    void match_literalAndParameterSegments() {
        HttpPath path = HttpPath.parse("state/{pumpId}/history");

        assertThat(path.parameters()).containsExactly("pumpId");
        assertThat(path.shape()).isEqualTo("state/{}/history");
        assertThat(path.match(List.of("state", "p 1", "history"))).isEqualTo(Map.of("pumpId", "p 1"));
        assertThat(path.match(List.of("state", "", "history"))).isNull();
        assertThat(path.match(List.of("state", "p1"))).isNull();
        assertThat(HttpPath.parse("").match(List.of())).isEmpty();
    }

    @Test
    void read_returnOutputOnAnHttpMethod_isAProblem() {
        String json = index(new TriggerDescriptor.Http("state/{pumpId}", List.of("GET")), List.of()).toJson()
                .replaceFirst("\"returnOutput\" : null", "\"returnOutput\" : \"out\"");

        assertThatThrownBy(() -> IndexRoundTripTest.read(json)).isInstanceOf(IndexException.class)
                .hasMessageContaining("an HTTP method's return value is its answer; it cannot also go to output 'out'");
    }
}
