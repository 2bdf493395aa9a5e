package io.edgefn.bindings.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.State;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures what a durable {@code put} and a cached {@code get} cost on the disk under a folder —
 * the numbers docs/writing-functions.md quotes. Not a test: run it by hand, e.g. after
 * {@code mvn -o -pl bindings -am test-compile}:
 * <pre>
 * java -cp bindings/target/test-classes:bindings/target/classes:function-api/target/classes:&lt;jackson, caffeine jars&gt; \
 *     io.edgefn.bindings.state.StatePutCost /var/lib/edgefn
 * </pre>
 */
public final class StatePutCost {

    /** A detector baseline's size of value. */
    public record Baseline(double mean, double variance, long learned) {
    }

    private StatePutCost() {
    }

    /** Runs 300 puts and 5,000,000 gets in a new folder under {@code args[0]} (default: the temp folder). */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")), "state");
        try (StateStores stores = StateStores.durable("f", dir, new ObjectMapper(), StateLimits.DEFAULTS)) {
            State<Baseline> state = stores.open("b", Baseline.class);
            for (int i = 0; i < 100; i++) {
                state.put("pump-01", new Baseline(i, i, i));
            }
            int puts = 300;
            long t0 = System.nanoTime();
            for (int i = 0; i < puts; i++) {
                state.put("pump-01", new Baseline(i, i, i));
            }
            long t1 = System.nanoTime();
            int gets = 5_000_000;
            for (int i = 0; i < gets; i++) {
                state.get("pump-01");
            }
            long t2 = System.nanoTime();
            System.out.printf("put %.0f us each (%d puts, each fsynced); get %.2f us each (%d gets, cached)%n",
                    (t1 - t0) / 1e3 / puts, puts, (t2 - t1) / 1e3 / gets, gets);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
