package io.edgefn.bindings;

import io.edgefn.api.ReportedProperties;
import io.edgefn.api.Twin;
import java.util.Map;
import java.util.Objects;

/** The {@link ReportedProperties} parameter: a view of the twin's reported half. Thread-safe as the twin is. */
final class TwinReportedProperties implements ReportedProperties {

    private final Twin twin;

    TwinReportedProperties(Twin twin) {
        this.twin = Objects.requireNonNull(twin, "twin");
    }

    @Override
    public Map<String, Object> reported() {
        return twin.reported();
    }

    @Override
    public void patch(Map<String, ?> patch) {
        twin.patchReported(patch);
    }
}
