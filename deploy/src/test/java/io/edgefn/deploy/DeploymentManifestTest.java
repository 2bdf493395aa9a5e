package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgefn.index.json.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeploymentManifestTest {

    private static Deployment parse(String json) {
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "manifest.json");
    }

    private static List<Problem> problems(String json) {
        return catchThrowableOfType(DeploymentException.class, () -> parse(json)).problems();
    }

    /** A manifest whose $edgeHub desired properties are {@code desired}. */
    private static String manifest(String desired) {
        return """
                {"modulesContent": {
                  "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {}}},
                  "$edgeHub": {"properties.desired": %s},
                  "SimulatedTemperatureSensor": {"properties.desired": {"SendData": true}}
                }}
                """.formatted(desired);
    }

    @Test
    void parse_manifestWithStringRoutes_takesEdgeHubRoutesAndListsWhatItIgnored() {
        Deployment d = parse(manifest("""
                {"schemaVersion": "1.0",
                 "routes": {"up": "FROM /messages/* INTO $upstream"},
                 "storeAndForwardConfiguration": {"timeToLiveSecs": 600}}"""));

        assertThat(d.isEdgeManifest()).isTrue();
        assertThat(d.schemaVersion()).isEqualTo("1.0");
        assertThat(d.routes()).containsExactly(new RouteEntry("up", "FROM /messages/* INTO $upstream", null, 0, false,
                "modulesContent.$edgeHub.properties.desired.routes.up"));
        assertThat(d.storeAndForward()).isEqualTo(new StoreAndForward(600, null, StoreAndForward.REJECT_NEW));
        assertThat(d.packages()).isEmpty();
        assertThat(d.ignored()).containsExactly(
                "modulesContent.$edgeAgent (edgefn runs functions from packages, not container modules)",
                "modulesContent.SimulatedTemperatureSensor (edgefn runs functions from packages, not container modules)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1", "1.2", "1.3"})
    void parse_manifestFrom11On_acceptsRouteObjectsWithPriorityAndTimeToLive(String schema) {
        Deployment d = parse(manifest("""
                {"schemaVersion": "%s", "routes": {
                   "alerts": {"route": "FROM /messages/* WHERE alert = true INTO $upstream", "priority": 0, "timeToLiveSecs": 30},
                   "rest": "FROM /messages/* INTO $upstream"},
                 "mqttBroker": {}}""".formatted(schema)));

        assertThat(d.routes()).containsExactly(
                new RouteEntry("alerts", "FROM /messages/* WHERE alert = true INTO $upstream", 0, 30, false,
                        "modulesContent.$edgeHub.properties.desired.routes.alerts"),
                new RouteEntry("rest", "FROM /messages/* INTO $upstream", null, 0, false,
                        "modulesContent.$edgeHub.properties.desired.routes.rest"));
        assertThat(d.storeAndForward()).isEqualTo(StoreAndForward.DEFAULT);
        assertThat(d.ignored()).contains(
                "modulesContent.$edgeHub.properties.desired.mqttBroker (edgefn does not use this edgeHub setting)");
    }

    @Test
    void parse_wholeAzureDeployment_readsContentModulesContent() {
        Deployment d = parse("""
                {"id": "gateway-1", "priority": 10, "targetCondition": "tags.site='north'",
                 "content": {"modulesContent": {"$edgeHub": {"properties.desired":
                    {"schemaVersion": "1.1", "routes": {"up": "FROM /* INTO $upstream"}}}}}}""");

        assertThat(d.routes()).extracting(RouteEntry::name).containsExactly("up");
        assertThat(d.routes().getFirst().location()).isEqualTo("content.modulesContent.$edgeHub.properties.desired.routes.up");
        assertThat(d.ignored()).containsExactly("id (deployment metadata is not used by edgefn)",
                "priority (deployment metadata is not used by edgefn)",
                "targetCondition (deployment metadata is not used by edgefn)");
    }

    @Test
    void parse_objectRouteUnderSchema10_isRefusedAsEdgeHubDoes() {
        List<Problem> problems = problems(manifest("""
                {"schemaVersion": "1.0", "routes": {"r": {"route": "FROM /* INTO $upstream", "priority": 1}}}"""));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("modulesContent.$edgeHub.properties.desired.routes.r");
            assertThat(p.message()).isEqualTo("route 'r' is an object, but edgeHub schemaVersion 1.0 allows only string"
                    + " routes (route objects need 1.1 or later)");
            assertThat(p.line()).isEqualTo(3);
        });
    }

    @ParameterizedTest
    @CsvSource({"1", "0.1", "2.0", "edgefn/1"})
    void parse_unsupportedEdgeHubSchemaVersion_isRefused(String schema) {
        List<Problem> problems = problems(manifest("{\"schemaVersion\": \"" + schema + "\", \"routes\": {}}"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("modulesContent.$edgeHub.properties.desired.schemaVersion");
            assertThat(p.message()).isEqualTo("edgeHub schemaVersion '" + schema
                    + "' is not supported; edgeHub accepts 1.0, 1.1, 1.2 and 1.3");
        });
    }

    @Test
    void parse_manifestProblems_areAllReportedWithTheirManifestLocations() {
        List<Problem> problems = problems(manifest("""
                {"schemaVersion": "1.2", "routes": {
                   "a": {"route": "FROM /* INTO $upstream", "priority": 10, "durable": true}},
                 "storeAndForwardConfiguration": {"timeToLiveSecs": 0}}"""));

        assertThat(problems).extracting(Problem::location, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("modulesContent.$edgeHub.properties.desired.routes.a.priority",
                        "priority 10 of route 'a' is out of range 0-9 (0 is highest)"),
                org.assertj.core.groups.Tuple.tuple("modulesContent.$edgeHub.properties.desired.routes.a.durable",
                        "unknown key 'durable' in modulesContent.$edgeHub.properties.desired.routes.a;"
                                + " known keys are route, priority, timeToLiveSecs"),
                org.assertj.core.groups.Tuple.tuple(
                        "modulesContent.$edgeHub.properties.desired.storeAndForwardConfiguration.timeToLiveSecs",
                        "'timeToLiveSecs' is 0; it must be a positive number of seconds"));
    }

    @Test
    void parse_manifestWithoutEdgeHub_saysWhatIsMissing() {
        List<Problem> problems = problems("{\"modulesContent\": {\"$edgeAgent\": {}}}");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("modulesContent");
            assertThat(p.message()).isEqualTo("missing required key '$edgeHub' in modulesContent");
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.column()).isEqualTo(20);
        });
    }

    @Test
    void parse_edgefnKeysBesideModulesContent_areRefused() {
        List<Problem> problems = problems("{\"routes\": {}, \"modulesContent\": {\"$edgeHub\": {\"properties.desired\":"
                + " {\"schemaVersion\": \"1.1\", \"routes\": {}}}}}");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("routes");
            assertThat(p.message()).startsWith("'routes' does not belong in an IoT Edge manifest");
        });
    }
}
