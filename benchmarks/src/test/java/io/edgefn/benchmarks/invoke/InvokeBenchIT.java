package io.edgefn.benchmarks.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A tiny run end to end: every message comes back through the host and the numbers are there. */
class InvokeBenchIT {

    @Test
    void smallRunReportsEveryField() throws Exception {
        InvokeResult r = InvokeBench.run(InvokeOptions.parse(new String[]{"--messages", "2000", "--rounds", "1",
                "--activations", "1"}));
        assertThat(r.jsHostMicrosPerMessage()).isPositive();
        assertThat(r.jsActivationMillis()).isPositive();
        assertThat(r.hostMicrosPerMessage()).isPositive();
        assertThat(r.javaActivationMillis()).isPositive();
        assertThat(r.toJson()).contains("\"javaOverheadMicros\":").contains("\"javaActivationMillis\":")
                .contains("\"jsCallMicros\":").contains("\"jsActivationMillis\":");
    }
}
