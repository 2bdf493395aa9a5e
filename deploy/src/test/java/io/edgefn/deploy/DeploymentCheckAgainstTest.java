package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.index.json.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentCheckAgainstTest {

    private static Deployment parse(String json) {
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "deploy.json");
    }

    private static FunctionIndex indexOf(String... functionNames) {
        return new FunctionIndex(1, java.util.Arrays.stream(functionNames).map(name -> new FunctionDescriptor(name,
                "com.example.F", 1, 1000, 0, List.of("in"), List.of(), false, List.of(new MethodDescriptor("m",
                        List.of(), new TriggerDescriptor.Route("in"), "void", null, List.of())))).toList());
    }

    private static final String TWO_PACKAGES = """
            {"packages": {"a": {"file": "a.jar"},
                          "b": {"file": "b.jar"}},
             "modules": {"camera": {"inputs": ["frames"]}},
             "routes": {},
             "desired": {"pump-analytics": {"window": 20}, "camera": {"fps": 5}}}""";

    @Test
    void checkAgainst_consistentPackages_passes() {
        Deployment d = parse(TWO_PACKAGES);

        assertThatNoException().isThrownBy(() -> d.checkAgainst(Map.of(
                "a", indexOf("pump-analytics"), "b", indexOf("pump-shutdown"))));
    }

    @Test
    void checkAgainst_everyInconsistency_isReportedAtItsEntry() {
        Deployment d = parse(TWO_PACKAGES.replace("\"fps\": 5}", "\"fps\": 5}, \"pump-shutdwn\": {}"));

        DeploymentException e = catchThrowableOfType(DeploymentException.class, () -> d.checkAgainst(Map.of(
                "a", indexOf("pump-analytics", "camera"), "b", indexOf("pump-analytics", "pump-shutdown"))));

        assertThat(e.problems()).containsExactly(
                new Problem("packages.b", 2, 20, "function 'pump-analytics' of package 'b' is also in package 'a';"
                        + " function names must be unique in a deployment"),
                new Problem("modules.camera", 3, 14, "module 'camera' has the name of a function of package 'a';"
                        + " routes could not tell them apart"),
                new Problem("desired.pump-shutdwn", 5, 70, "desired properties for 'pump-shutdwn', which is neither a"
                        + " function of the deployment's packages nor an external module; did you mean 'pump-shutdown'?"));
    }

    @Test
    void checkAgainst_indexesForOtherPackages_isAProgrammingError() {
        Deployment d = parse(TWO_PACKAGES);

        assertThatThrownBy(() -> d.checkAgainst(Map.of("a", indexOf("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("indexes are for packages [a] but the deployment has packages [a, b]");
    }
}
