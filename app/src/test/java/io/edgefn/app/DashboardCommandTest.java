package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgefn dashboard} where it cannot give a link: each refusal says why and exits 1. */
class DashboardCommandTest {

    @TempDir
    Path dir;

    @Test
    void dashboard_withNoHostRunning_saysSoAndExits1() {
        StdoutCapture captured = StdoutCapture.stdoutAndStderr();
        int status;
        try {
            status = EdgefnCommand.execute("dashboard", "--data-dir", dir.toString());
        } finally {
            captured.close();
        }
        assertThat(status).isEqualTo(1);
        assertThat(captured.out()).isEmpty();
        assertThat(captured.err()).contains("edgefn dashboard: no edgefn host is running on").contains("edgefn run --data-dir");
    }

    @Test
    void dashboard_ofAHostWithoutItsManagementApi_saysSoAndExits1() {
        Deployment deployment = Deployment.parse("{\"routes\": {}}".getBytes(StandardCharsets.UTF_8), "empty", dir);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir).build().start()) {
            StdoutCapture captured = StdoutCapture.stdoutAndStderr();
            int status;
            try {
                status = EdgefnCommand.execute("dashboard", "--data-dir", dir.toString());
            } finally {
                captured.close();
            }
            assertThat(status).isEqualTo(1);
            assertThat(captured.err()).contains("serves no management API");
        }
    }
}
