package io.edgefn.benchmarks.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesBenchTest {

    @Test
    void parse_defaultsToThreeForks() {
        RoutesBench.RoutesOptions o = RoutesBench.RoutesOptions.parse(List.of());

        assertThat(o.forks()).isEqualTo(3);
        assertThat(o.quick()).isFalse();
        assertThat(o.jmh().getForkCount().get()).isEqualTo(3);
        assertThat(o.jmh().getProfilers()).isNotEmpty();
        assertThat(o.jmh().getMeasurementIterations().get()).isEqualTo(5);
    }

    @Test
    void parse_quick_fewerIterationsSameForks() {
        RoutesBench.RoutesOptions o = RoutesBench.RoutesOptions.parse(List.of("--quick"));

        assertThat(o.jmh().getForkCount().get()).isEqualTo(3);
        assertThat(o.jmh().getMeasurementIterations().get()).isEqualTo(3);
        assertThat(o.jmh().getWarmupIterations().get()).isEqualTo(2);
    }

    @Test
    void parse_badArguments_nameThem() {
        assertThatThrownBy(() -> RoutesBench.RoutesOptions.parse(List.of("--forks", "x")))
                .hasMessageContaining("--forks needs a whole number, was 'x' (argument 2)");
        assertThatThrownBy(() -> RoutesBench.RoutesOptions.parse(List.of("--forks", "0")))
                .hasMessageContaining("--forks must be 1..10, was 0");
        assertThatThrownBy(() -> RoutesBench.RoutesOptions.parse(List.of("--fast")))
                .hasMessageContaining("unknown argument '--fast' (argument 1)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void toMap_ratiosAgainstTheHandWrittenBaselineAndTargets() {
        List<RoutesBench.Measured> m = List.of(
                measured("RouteConditionBenchmark.typicalCompiled", 40, 0),
                measured("RouteConditionBenchmark.typicalHandWritten", 20, 0),
                measured("RouteConditionBenchmark.bodyCompiled", 300, 1408),
                measured("RouteConditionBenchmark.bodyHandWritten", 100, 0),
                measured("RouteConditionBenchmark.bodyJacksonTree", 250, 1408),
                measured("RouteTableBenchmark.routeMessage", 2_500_000, 0.001),
                measured("RouteTableBenchmark.compileHundredRoutes", 0.4, 1e6));

        Map<String, Object> j = RoutesBench.toMap(new RoutesBench.RoutesOptions(true, 3), m);

        Map<String, Object> ratios = (Map<String, Object>) j.get("ratios");
        assertThat(ratios.get("typicalCompiledVsHandWritten")).isEqualTo(2.0);
        assertThat(ratios.get("bodyCompiledVsHandWritten")).isEqualTo(3.0);
        Map<String, Object> targets = (Map<String, Object>) j.get("targets");
        assertThat(targets.get("typicalWithin2x")).isEqualTo(true);
        assertThat(targets.get("bodyWithin2x")).isEqualTo(false);
        assertThat(targets.get("routeMessageAtLeast2MPerSecond")).isEqualTo(true);
        assertThat(targets.get("routeMessageZeroAllocation")).isEqualTo(true);
        Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) j.get("benchmarks"))
                .get("RouteConditionBenchmark.bodyCompiled");
        assertThat(body.get("perFork")).isEqualTo(List.of(300.0, 300.0, 300.0));
        assertThat(body.get("bytesPerOp")).isEqualTo(1408.0);
        assertThat(j.get("forks")).isEqualTo(3);
    }

    private static RoutesBench.Measured measured(String name, double score, double bytes) {
        return new RoutesBench.Measured(name, "avgt", "ns/op", score, score / 10, List.of(score, score, score), bytes,
                List.of(bytes, bytes, bytes));
    }
}
