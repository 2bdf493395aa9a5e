package io.edgefn.benchmarks.invoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.Admission;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.MessageOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One host running a pass-through function (the load package's Java {@code pass-through}, or a
 * JavaScript one): a device's message is routed to its input {@code in}, its copy leaves on
 * {@code out} and is routed to the input of an external module {@code sink}, whose in-memory inbox
 * this rig drains as the edge hub would.
 *
 * <p>Messages are offered through the host's non-blocking ingress with at most {@link #WINDOW}
 * in flight, so no queue on the way ever fills: the time measured is the host's work per message,
 * not back-pressure. Not thread-safe: one thread drives a rig; {@link #close()} ends it.
 */
final class PassThroughRig implements AutoCloseable {

    /** Messages in flight at once: under every queue's capacity on the way. */
    static final int WINDOW = 256;

    private static final String DEVICE = "bench-device";
    private static final String PACKAGE_RESOURCE = "/edgefn/bench/load-functions.jar";

    /**
     * A package with a pass-through function.
     *
     * @param function the function's name
     * @param jar      the package jar, or {@code null} for the load package embedded in the benchmarks
     */
    record Pass(String function, Path jar) {
        /** The load package's Java {@code pass-through}. */
        static final Pass JAVA = new Pass("pass-through", null);
    }

    private final EdgeHost host;
    private final Cursor sink;
    private final AtomicLong received = new AtomicLong();

    private PassThroughRig(EdgeHost host, Cursor sink) {
        this.host = host;
        this.sink = sink;
    }

    /**
     * Starts a host in {@code workDir} (which must not hold one yet) and waits until the first
     * message has gone through it; returns the rig and how long that took, from before the host
     * was built: the package's activation.
     */
    static Started start(Path workDir, Pass pass) throws IOException, InterruptedException, TimeoutException {
        Deployment deployment = deployment(workDir, pass);
        long t0 = System.nanoTime();
        EdgeHost host = EdgeHost.builder()
                .deployment(deployment)
                .dataDirectory(workDir.resolve("host"))
                .gatewayId("bench-gateway")
                .build()
                .start();
        PassThroughRig rig = new PassThroughRig(host, host.moduleInboxes("sink").get(0).cursor());
        try {
            rig.run(new byte[]{'{', '}'}, 1, Duration.ofSeconds(30));
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
            rig.close();
            throw e;
        }
        return new Started(rig, System.nanoTime() - t0);
    }

    /** A started rig and its activation time. */
    record Started(PassThroughRig rig, long activationNanos) {
    }

    /**
     * Sends {@code count} messages with {@code body} through the function and waits until every
     * copy has reached the sink; returns the nanoseconds from the first offer to the last copy.
     *
     * @throws TimeoutException when the copies stop arriving for {@code patience}
     */
    long run(byte[] body, int count, Duration patience) throws IOException, InterruptedException, TimeoutException {
        long target = received.get() + count;
        long sent = 0;
        long start = System.nanoTime();
        MessageOrigin origin = MessageOrigin.localDevice(DEVICE);
        while (received.get() < target) {
            while (sent < count && sent - (received.get() - (target - count)) < WINDOW) {
                Admission admission = host.offer(Message.builder().body(body).build(), origin);
                if (admission.taken().isCompletedExceptionally()) {
                    admission.taken().join(); // throws the refusal
                }
                sent++;
            }
            drain(patience);
        }
        return System.nanoTime() - start;
    }

    private void drain(Duration patience) throws InterruptedException, TimeoutException {
        List<BufferedRecord> records = sink.poll(WINDOW, patience);
        if (records.isEmpty()) {
            throw new TimeoutException("no copy reached the sink for " + patience.toMillis() + " ms; "
                    + received.get() + " had; host stats: " + host.stats());
        }
        for (BufferedRecord r : records) {
            sink.ack(r.offset());
        }
        received.addAndGet(records.size());
    }

    @Override
    public void close() {
        host.close();
    }

    private static Deployment deployment(Path workDir, Pass pass) throws IOException {
        Path jar = workDir.resolve("packages/functions.jar");
        Files.createDirectories(jar.getParent());
        if (pass.jar() != null) {
            Files.copy(pass.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
        } else {
            try (InputStream in = PassThroughRig.class.getResourceAsStream(PACKAGE_RESOURCE)) {
                if (in == null) {
                    throw new IOException("the class path has no " + PACKAGE_RESOURCE + "; rebuild the benchmarks with "
                            + "mvn -pl benchmarks -am package");
                }
                Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode d = json.createObjectNode();
        d.put("version", "bench-invoke-1");
        d.putObject("packages").putObject("functions").put("file", "packages/functions.jar");
        d.putObject("modules").putObject("sink").putArray("inputs").add("in");
        ObjectNode routes = d.putObject("routes");
        routes.put("toFunction", "FROM /messages/* WHERE $connectionDeviceId = '" + DEVICE
                + "' INTO BrokeredEndpoint(\"/modules/" + pass.function() + "/inputs/in\")");
        routes.put("toSink", "FROM /messages/modules/" + pass.function()
                + "/outputs/out INTO BrokeredEndpoint(\"/modules/sink/inputs/in\")");
        return Deployment.parse(json.writeValueAsBytes(d), "invoke benchmark deployment", workDir);
    }
}
