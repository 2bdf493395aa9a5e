package io.edgefn.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics docs/metrics.md documents, read from its tables, so that the tests hold the
 * exposure and the document to each other. Test helper; stateless.
 */
public final class MetricsDoc {

    /**
     * One documented metric.
     *
     * @param name the exposed name (a histogram's base name, without {@code _bucket} etc.)
     * @param type {@code counter}, {@code gauge} or {@code histogram}
     * @param labels its labels, comma-separated, or {@code -}
     * @param exposedBy {@code host} (every host) or {@code gateway} (only with the edge hub)
     */
    public record Metric(String name, String type, String labels, String exposedBy) {
    }

    /** A table row: | `name` | type | labels | exposed by | meaning |. */
    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*`((?:edgefn|edgehub)_[a-z0-9_]+)`\\s*\\|\\s*(counter|gauge|histogram)\\s*\\|([^|]*)\\|\\s*(host|gateway)\\s*\\|");

    private MetricsDoc() {
    }

    /** docs/metrics.md, found from the module's directory or the repository's root. */
    public static Path path() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("metrics.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException("docs/metrics.md not found above " + Path.of("").toAbsolutePath());
    }

    /** Every metric in the document's tables of exposed metrics, in order. */
    public static List<Metric> metrics() throws IOException {
        List<Metric> out = new ArrayList<>();
        for (String line : Files.readAllLines(path())) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                out.add(new Metric(m.group(1), m.group(2), m.group(3).trim().replace("`", ""), m.group(4)));
            }
        }
        return out;
    }

    /**
     * The value of every sample in {@code exposition} named {@code name} (for a histogram, its
     * {@code _count}), one per label set; empty when there is none.
     */
    public static List<Double> samples(String exposition, String name) {
        List<Double> values = new ArrayList<>();
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = sample.matcher(exposition);
        while (m.find()) {
            values.add(Double.parseDouble(m.group(2)));
        }
        return values;
    }

    /** The sum of the samples named {@code name} whose labels contain {@code labelText} (e.g. {@code device="pump-01"}). */
    public static double sum(String exposition, String name, String labelText) {
        double total = 0;
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = sample.matcher(exposition);
        while (m.find()) {
            if (m.group(1).contains(labelText)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
