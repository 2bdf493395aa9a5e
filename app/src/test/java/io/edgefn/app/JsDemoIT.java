package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.app.cli.EdgefnCommand;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn demo --js}: the pump scenario with its anomaly detector in JavaScript (the package
 * the build packed into the application jar), sandboxed in GraalJS on the safety path, still
 * stopping the pump.
 */
class JsDemoIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final StdoutCapture out = StdoutCapture.stdoutPerTest();

    @Test
    void demoJs_theJavaScriptDetectorFindsTheFaultAndTheShutdownIsAcknowledged() throws Exception {
        int status = EdgefnCommand.execute("demo", "--duration", "9", "--json", "--js", "--data-dir", dir.toString());
        assertThat(status).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.lastLine());
        assertThat(new ObjectMapper().convertValue(summary.path("runtimes"), Map.class)).isEqualTo(Map.of(
                "anomaly-detector", "js", "pump-analytics", "java", "pump-shutdown", "java"));
        assertThat(summary.path("anomalies").asLong()).isEqualTo(1);
        assertThat(summary.path("failures").path("anomaly-detector").asLong()).isZero();
        assertThat(summary.path("shutdownAcknowledged").asBoolean()).isTrue();
    }
}
