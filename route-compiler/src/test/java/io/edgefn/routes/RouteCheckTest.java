package io.edgefn.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouteCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> run(String input) throws Exception {
        StringWriter out = new StringWriter();
        RouteCheck.run(new StringReader(input), out);
        List<JsonNode> result = new java.util.ArrayList<>();
        for (String line : out.toString().split("\n")) {
            result.add(JSON.readTree(line));
        }
        return result;
    }

    @Test
    void run_conditionLines_answerResultAndDiagnostics() throws Exception {
        List<JsonNode> out = run("""
                {"id": "1", "condition": "as_number(temp) > 50", "message": {"properties": {"temp": "60"}}}
                {"id": 2, "condition": "as_number(temp) > 50", "message": {"properties": {}}}
                {"id": "3", "condition": "temp > 50"}
                {"id": "4", "condition": "$body.pressure > 150", "message": {"contentType": "application/json", "contentEncoding": "utf-8", "body": {"pressure": 151}}}
                {"id": "5", "condition": "$body.pressure > 150", "message": {"body": {"pressure": 151}}}
                {"id": "6", "condition": "$body.p = 'x'", "message": {"systemProperties": {"contentType": "application/json", "contentEncoding": "utf-8"}, "bodyText": "{\\"p\\": \\"x\\"}"}}
                {"id": "7", "condition": "$connectionModuleId = 'm'", "source": "/messages/modules/m/outputs/o"}
                {"id": "8", "condition": "a-b = 'x'", "message": {"properties": {"a-b": "x"}}}
                {"id": "9", "condition": "is_null(n)", "message": {"properties": {"n": null}}}
                {"id": "10", "condition": "$body.a = 1", "message": {"contentType": "application/json", "contentEncoding": "utf-8", "bodyBase64": "eyJhIjogMX0="}}
                """);
        assertThat(out).hasSize(10);
        assertThat(out.get(0).toString()).isEqualTo("{\"id\":\"1\",\"result\":\"true\",\"diagnostics\":[]}");
        assertThat(out.get(1).get("id").asInt()).isEqualTo(2);
        assertThat(out.get(1).get("result").asText()).isEqualTo("undefined");
        JsonNode error = out.get(2);
        assertThat(error.get("result").asText()).isEqualTo("error");
        assertThat(error.get("error").asText()).startsWith("Invalid operands to binary operator '>'");
        JsonNode d = error.get("diagnostics").get(0);
        assertThat(d.get("severity").asText()).isEqualTo("error");
        assertThat(d.get("line").asInt()).isEqualTo(1);
        assertThat(d.get("column").asInt()).isEqualTo(1);
        assertThat(d.get("endColumn").asInt()).isEqualTo(10);
        assertThat(out.get(3).get("result").asText()).isEqualTo("true");
        assertThat(out.get(4).get("result").asText()).isEqualTo("undefined");
        assertThat(out.get(5).get("result").asText()).isEqualTo("true");
        assertThat(out.get(6).get("result").asText()).isEqualTo("true");
        assertThat(out.get(7).get("result").asText()).isEqualTo("true");
        assertThat(out.get(7).get("diagnostics").get(0).get("severity").asText()).isEqualTo("warning");
        assertThat(out.get(8).get("result").asText()).isEqualTo("true");
        assertThat(out.get(9).get("result").asText()).isEqualTo("true");
    }

    @Test
    void run_routeLines_answerCanonicalPartsOrErrors() throws Exception {
        List<JsonNode> out = run("""
                {"id": "r1", "route": "FROM /messages/* WHERE key = 'a' INTO BrokeredEndpoint(\\"/modules/m/inputs/i\\")"}
                {"id": "r2", "route": "FROM /messages/* INTO $upstream WHERE key = 'a'"}
                {"id": "r3", "route": "FROM /messages INTO BrokeredEndpoint(\\"/modules/m\\")"}
                """);
        assertThat(out.get(0).toString()).isEqualTo("{\"id\":\"r1\",\"result\":\"ok\",\"source\":\"/messages/\","
                + "\"condition\":\"key = 'a'\",\"sink\":\"/modules/m/inputs/i\",\"errors\":[],\"warnings\":[]}");
        JsonNode e2 = out.get(1).get("errors").get(0);
        assertThat(out.get(1).get("result").asText()).isEqualTo("error");
        assertThat(e2.get("phase").asText()).isEqualTo("syntax");
        assertThat(e2.get("column").asInt()).isEqualTo(33);
        assertThat(out.get(2).get("errors").get(0).get("phase").asText()).isEqualTo("sink");
    }

    @Test
    void run_sourceMatchAndBadLines_keepGoing() throws Exception {
        List<JsonNode> out = run("""
                {"id": "s1", "routeSource": "/messages/modules/*", "messageSource": "/messages/modules/ModId1/outputs/Op1"}
                {"id": "s2", "routeSource": "/messages/modules", "messageSource": "/messages"}
                this is not json
                {"id": "b2", "condition": "true", "message": {"properties": {"x": 3}}}
                {"id": "b3", "condition": "true", "message": {"body": {}, "bodyText": "x"}}
                {"id": "b4"}
                {"id": "ok", "condition": "true"}
                """);
        assertThat(out).hasSize(7);
        assertThat(out.get(0).get("result").asBoolean()).isTrue();
        assertThat(out.get(1).get("result").asBoolean()).isFalse();
        assertThat(out.get(2).get("error").asText()).startsWith("bad input line: not JSON");
        assertThat(out.get(3).toString()).isEqualTo("{\"id\":\"b2\",\"result\":\"error\",\"error\":"
                + "\"bad input line: \\\"properties.x\\\" must be a string or null, was 3\"}");
        assertThat(out.get(4).get("error").asText()).contains("at most one of");
        assertThat(out.get(5).get("error").asText()).startsWith("bad input line: expected");
        assertThat(out.get(6).get("result").asText()).isEqualTo("true");
    }

    @Test
    void run_sourceInsideMessage_isTheMessagesSource_andTwoDifferentSourcesAreAnError() throws Exception {
        List<JsonNode> out = run("""
                {"id": "in", "condition": "$connectionModuleId = 'm'", "message": {"source": "/messages/modules/m/outputs/o"}}
                {"id": "both", "condition": "true", "source": "/messages", "message": {"source": "/messages/modules/m"}}
                {"id": "typo", "condition": "true", "message": {"propertes": {"temp": "1"}}}
                """);
        assertThat(out.get(0).get("result").asText()).isEqualTo("true");
        assertThat(out.get(1).get("error").asText()).isEqualTo("bad input line: \"source\" is given twice, '/messages'"
                + " on the line and '/messages/modules/m' in \"message\": give it once");
        assertThat(out.get(2).get("error").asText()).startsWith("bad input line: \"message\" has an unknown key"
                + " \"propertes\"; it may have \"properties\", ");
    }

    @Test
    void explain_messagesAgainstATable_saysWhichRoutesFiredAndWhyOthersDidNot() {
        RouteTable table = RouteCompiler.create().compileTable(List.of(
                RouteSpec.of("hot", "FROM /messages/* WHERE as_number(temp) > 90 INTO $upstream"),
                RouteSpec.of("fromM", "FROM /messages/modules/m/* INTO $upstream")), null);
        StringWriter out = new StringWriter();
        RouteCheck.explain(new StringReader("""
                {"id": "a", "message": {"properties": {"temp": "91"}}}
                {"id": "b", "message": {"source": "/messages/modules/m/outputs/o", "properties": {"temp": "20"}}}
                {"route": "FROM /* INTO $upstream", "message": {}}
                """), out, table);
        assertThat(out.toString().split("\n\n")).satisfiesExactly(
                a -> assertThat(a).startsWith("a: message from /messages: 1 delivery")
                        .contains("route 'hot' (FROM /messages/ INTO $upstream): fired")
                        .contains("route 'fromM' (FROM /messages/modules/m/ INTO $upstream): not considered"),
                b -> assertThat(b).startsWith("b: message from /messages/modules/m/outputs/o: 1 delivery")
                        .contains("route 'hot' (FROM /messages/ INTO $upstream): did not fire")
                        .contains("route 'fromM' (FROM /messages/modules/m/ INTO $upstream): fired"),
                c -> assertThat(c).startsWith("bad input line: \"route\" is not read here"));
    }

    @Test
    void explain_routesAndMessage_printsTraceInWords() {
        StringWriter out = new StringWriter();
        RouteCheck.explain(new StringReader("""
                {"routes": {"hot": "FROM /messages/* WHERE as_number(temp) > 90 INTO $upstream"}, "message": {"properties": {}}}
                {"condition": "as_number(temp) > 90", "message": {"properties": {"temp": "91"}}}
                nonsense
                """), out);
        assertThat(out.toString())
                .contains("route 'hot'", "is undefined", "application property 'temp' is missing")
                .contains("route 'condition'", "fired")
                .contains("bad input line: not JSON");
    }

    @Test
    void run_bodyTheEvaluatorCannotRead_answersJsonErrorAndGoesOn() throws Exception {
        String nested = RouteTableTest.NESTED_TOO_DEEP.replace("\"", "\\\"");
        String json = "\"contentType\": \"application/json\", \"contentEncoding\": \"utf-8\"";
        List<JsonNode> out = run("""
                {"id": "deep", "condition": "$body.a = 1", "message": {%s, "bodyText": "%s"}}
                {"id": "bad", "condition": "$body.a = 1", "message": {%s, "bodyText": "{a: "}}
                {"id": "noBody", "condition": "as_number(t) > 1", "message": {%s, "bodyText": "%s", "properties": {"t": "2"}}}
                {"id": "next", "condition": "$body.a = 1", "message": {%s, "body": {"a": 1}}}
                """.formatted(json, nested, json, json, nested, json));
        assertThat(out).hasSize(4);
        assertThat(out.get(0).get("id").asText()).isEqualTo("deep");
        assertThat(out.get(0).get("result").asText()).isEqualTo("error");
        assertThat(out.get(0).get("error").asText()).isEqualTo("the message body cannot be read: the body is beyond the "
                + "JSON reader's limits: Document nesting depth (1001) exceeds the maximum allowed (1000, from "
                + "`StreamReadConstraints.getMaxNestingDepth()`) (routes treat $body as undefined for this message, and count it)");
        assertThat(out.get(1).get("result").asText()).isEqualTo("error");
        assertThat(out.get(1).get("error").asText()).startsWith("the message body cannot be read: the body is not valid JSON");
        assertThat(out.get(2).get("result").asText()).as("a condition that does not read the body").isEqualTo("true");
        assertThat(out.get(3).toString()).isEqualTo("{\"id\":\"next\",\"result\":\"true\",\"diagnostics\":[]}");
    }

    @Test
    void explain_bodyTheEvaluatorCannotRead_saysWhyTheBodyRouteDidNotFire() {
        StringWriter out = new StringWriter();
        RouteCheck.explain(new StringReader("""
                {"routes": {"body": "FROM /messages WHERE $body.a = 1 INTO $upstream",
                            "all": "FROM /messages INTO BrokeredEndpoint(\\"/modules/m/inputs/i\\")"},
                 "message": {"contentType": "application/json", "contentEncoding": "utf-8", "bodyText": "%s"}}
                """.replace("\n ", " ").formatted(RouteTableTest.NESTED_TOO_DEEP.replace("\"", "\\\""))), out);
        assertThat(out.toString()).contains("route 'body'", "is undefined", "beyond the JSON reader's limits",
                "route 'all'", "fired");
    }
}
