package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.ParameterDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.index.json.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code brokers} section, and functions naming brokers the deployment does not declare. */
class DeploymentBrokersTest {

    private static Deployment parse(String brokers) {
        return Deployment.parse(("{\"routes\": {}, \"packages\": {\"p\": {\"file\": \"p.jar\"}}, \"brokers\": " + brokers + "}")
                .getBytes(StandardCharsets.UTF_8), "deploy.json", Path.of("/etc/edgefn"));
    }

    @Test
    void parse_brokers_readsEachWithFilesResolvedAgainstTheDeployment() {
        Deployment d = parse("""
                {"plant": {"uri": "mqtts://10.0.0.5:8883", "clientId": "gw-1", "auth": "plant.auth", "ca": "certs/ca.pem"},
                 "lab": {"uri": "mqtt://lab:1883", "username": "u", "password": "secret"}}""");

        assertThat(d.brokers()).containsOnlyKeys("plant", "lab");
        assertThat(d.brokers().get("plant")).isEqualTo(new BrokerEntry("plant", "mqtts://10.0.0.5:8883", "gw-1", null, null,
                Path.of("/etc/edgefn/plant.auth"), Path.of("/etc/edgefn/certs/ca.pem")));
        assertThat(d.brokers().get("plant").tls()).isTrue();
        assertThat(d.brokers().get("lab").toString()).doesNotContain("secret").contains("password=***");
    }

    static Stream<Arguments> badBrokers() {
        return Stream.of(
                Arguments.of("{\"plant\": {}}", "brokers.plant", "missing required key 'uri'"),
                Arguments.of("{\"plant\": {\"uri\": \"tcp://h:1883\"}}", "brokers.plant.uri",
                        "uri 'tcp://h:1883' of broker 'plant' must start with mqtt:// or mqtts://"),
                Arguments.of("{\"plant\": {\"uri\": \"mqtt://h\"}}", "brokers.plant.uri", "needs a port"),
                Arguments.of("{\"plant\": {\"uri\": \"mqtt://u:p@h:1883\"}}", "brokers.plant.uri",
                        "must be only scheme, host and port"),
                Arguments.of("{\"plant\": {\"uri\": \"mqtt://h:1883\", \"auth\": \"a\", \"username\": \"u\"}}",
                        "brokers.plant.auth", "has both 'auth' and 'username'/'password'"),
                Arguments.of("{\"plant\": {\"uri\": \"mqtt://h:1883\", \"password\": \"p\"}}", "brokers.plant.password",
                        "has a 'password' but no 'username'"),
                Arguments.of("{\"plant\": {\"uri\": \"mqtt://h:1883\", \"ca\": \"ca.pem\"}}", "brokers.plant.ca",
                        "is not mqtts://"),
                Arguments.of("{\"plant\": {\"uri\": \"mqtt://h:1883\", \"clientId\": \"a b\"}}", "brokers.plant.clientId",
                        "clientId 'a b' of broker 'plant' must be"),
                Arguments.of("{\"plant\": {\"uri\": \"mqtt://h:1883\", \"port\": 1}}", "brokers.plant.port", "port"),
                Arguments.of("{\"9x\": {\"uri\": \"mqtt://h:1883\"}}", "brokers.9x", "broker name '9x' is not allowed"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("badBrokers")
    void parse_badBroker_isRefusedAtItsPath(String brokers, String location, String message) {
        DeploymentException e = catchThrowableOfType(DeploymentException.class, () -> parse(brokers));

        assertThat(e).as("refused: %s", brokers).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(location);
            assertThat(p.message()).contains(message);
        });
    }

    @Test
    void checkAgainst_unknownBrokerOfTriggerOrPublisher_namesFunctionMethodAndBroker() {
        Deployment d = parse("{\"plant\": {\"uri\": \"mqtt://h:1883\"}}");
        MethodDescriptor onReading = new MethodDescriptor("onReading", List.of("java.lang.String"),
                new TriggerDescriptor.Mqtt(List.of("a/#"), 1, "plnt"), "void", null,
                List.of(new ParameterDescriptor.BodyString()));
        MethodDescriptor tick = new MethodDescriptor("tick", List.of(ParameterDescriptor.MqttPublisher.TYPE),
                TriggerDescriptor.Timer.ofFixedRate("PT1S", 1000), "void", null,
                List.of(new ParameterDescriptor.MqttPublisher("lab")));
        MethodDescriptor local = new MethodDescriptor("onLocal", List.of(ParameterDescriptor.MqttPublisher.TYPE),
                new TriggerDescriptor.Mqtt(List.of("x"), 0, ""), "void", null,
                List.of(new ParameterDescriptor.MqttPublisher("plant")));
        FunctionIndex index = new FunctionIndex(1, List.of(new FunctionDescriptor("bridge", "com.example.Bridge", 1, 1000, 0,
                List.of(), List.of(), false, List.of(onReading, tick, local))));

        DeploymentException e = catchThrowableOfType(DeploymentException.class, () -> d.checkAgainst(Map.of("p", index)));

        assertThat(e.problems()).extracting(Problem::location, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("packages.p", "function 'bridge', method onReading, uses MQTT broker"
                        + " 'plnt', which the deployment does not declare under 'brokers' (it declares [plant]); did you"
                        + " mean 'plant'?"),
                org.assertj.core.groups.Tuple.tuple("packages.p", "function 'bridge', method tick, uses MQTT broker"
                        + " 'lab', which the deployment does not declare under 'brokers' (it declares [plant])"));
    }
}
