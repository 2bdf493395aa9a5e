package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/grafana/edgefn-dashboard.json names only metrics docs/metrics.md lists (which
 * {@link MetricsIT} and the gateway's metrics IT hold to what is exposed), and uses every one of
 * their histograms by their real series names.
 */
class GrafanaDashboardTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:edgefn|edgehub)_[a-z0-9_]+)");

    @Test
    void everyExpression_namesOnlyDocumentedMetrics() throws Exception {
        Path dashboard = MetricsDoc.path().resolveSibling("grafana").resolve("edgefn-dashboard.json");
        JsonNode root = new ObjectMapper().readTree(Files.readString(dashboard));
        List<String> expressions = new ArrayList<>();
        collect(root, expressions);
        Map<String, String> documented = MetricsDoc.metrics().stream()
                .collect(Collectors.toMap(MetricsDoc.Metric::name, MetricsDoc.Metric::type));

        Set<String> named = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                named.add(m.group(1));
            }
        }

        assertThat(expressions).hasSizeGreaterThan(10);
        assertThat(named).isNotEmpty();
        for (String name : named) {
            String base = name.replaceFirst("_(bucket|count|sum|max)$", "");
            boolean histogramSeries = !base.equals(name) && "histogram".equals(documented.get(base));
            assertThat(histogramSeries || documented.containsKey(name))
                    .as("the dashboard's %s is a metric docs/metrics.md lists", name).isTrue();
        }
    }

    /** Every query text in the dashboard: panels' {@code expr}, variables' {@code query} and {@code definition}. */
    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getValue().isTextual() && Set.of("expr", "query", "definition").contains(e.getKey())) {
                    out.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        }
    }
}
