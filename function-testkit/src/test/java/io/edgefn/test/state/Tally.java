package io.edgefn.test.state;

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.ReportedProperties;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.Settings;
import io.edgefn.api.State;
import io.edgefn.api.StateStore;
import java.util.Map;

/** Counts words in a state store and reports the total: State, Settings and ReportedProperties in the kit. */
@EdgeFunction("tally")
public class Tally {

    /** One count. */
    public record Count(long n) {
    }

    /** Counts {@code word}, scaled by the setting {@code step}, and reports how many words it knows. */
    @RouteTrigger(input = "words")
    public void onWord(String word, @StateStore("counts") State<Count> counts, Settings settings,
                       ReportedProperties reported) {
        long step = settings.integer("step", 1);
        counts.update(word, c -> new Count((c == null ? 0 : c.n()) + step));
        reported.patch(Map.of("words", counts.keys().size()));
    }
}
