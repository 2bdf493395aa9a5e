package io.edgefn.runtime.internal;

import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The management API alone in a JVM, for {@link ManagementApiIT}: serves the empty stats of a
 * host that never starts, prints {@code port N}, and exits when its standard input ends.
 */
final class ManagementApiServer {

    private ManagementApiServer() {
    }

    /** Serves until standard input ends; {@code args[0]} is a scratch directory. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Deployment empty = Deployment.parse("{\"routes\": {}}".getBytes(StandardCharsets.UTF_8), "empty", dir);
        EdgeHost host = EdgeHost.builder().deployment(empty).dataDirectory(dir.resolve("data")).build();
        try (ManagementApi api = ManagementApi.start(0, host::stats)) {
            System.out.println("port " + api.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing to read: the parent only ever closes our input
            }
        }
    }
}
