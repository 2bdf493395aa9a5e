package io.edgefn.benchmarks.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What one {@code edgefn bench hub} run measured.
 *
 * @param options          what was run
 * @param brokerOnlyPerSec (a) messages per second, publishers → Mosquitto → subscriber
 * @param throughPerSec    (b) messages per second through edgefn
 * @param latencies        publish-to-receive latency of (b) at {@code pacedPerSec}, microseconds
 * @param pacedPerSec      the rate the latency was measured at: half of (b)
 * @param rssMb            the gateway process's peak resident memory, MiB
 * @param lost             messages the gateway acknowledged that never reached the subscriber
 * @param duplicates       messages the subscriber received more than once
 * @param acked            messages the gateway acknowledged in (b), both phases
 */
record HubResult(HubOptions options, double brokerOnlyPerSec, double throughPerSec, Histogram latencies, double pacedPerSec,
                 long rssMb, long lost, long duplicates, long acked) {

    double ratio() {
        return brokerOnlyPerSec == 0 ? 0 : throughPerSec / brokerOnlyPerSec;
    }

    double p50Millis() {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(50) / 1000.0;
    }

    double p99Millis() {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(99) / 1000.0;
    }

    void printSummary(PrintStream out) {
        out.printf(Locale.ROOT, "edgefn bench hub (%d publishers, QoS 1, %d in flight each, %d-byte payloads, %d s windows)%n",
                options.publishers(), options.inFlight(), options.payloadBytes(), options.window().toSeconds());
        out.printf(Locale.ROOT, "  (a) publishers -> Mosquitto -> subscriber          %,10.0f msg/s%n", brokerOnlyPerSec);
        out.printf(Locale.ROOT, "  (b) publishers -> edgefn -> Mosquitto -> subscriber %,10.0f msg/s   ratio b/a %.2f (target >= 0.8)%n",
                throughPerSec, ratio());
        out.printf(Locale.ROOT, "  (b) at %,.0f msg/s: latency p50 %.2f ms, p99 %.2f ms (target p99 <= 10 ms), %d samples%n",
                pacedPerSec, p50Millis(), p99Millis(), latencies.getTotalCount());
        out.printf(Locale.ROOT, "  gateway peak RSS %d MiB; %d acknowledged, %d lost, %d duplicate(s)%n", rssMb, acked, lost, duplicates);
    }

    String toJson() {
        ObjectNode json = new ObjectMapper().createObjectNode()
                .put("brokerOnlyPerSec", Math.round(brokerOnlyPerSec))
                .put("throughEdgefnPerSec", Math.round(throughPerSec))
                .put("ratio", Math.round(ratio() * 1000) / 1000.0)
                .put("p50Millis", Math.round(p50Millis() * 100) / 100.0)
                .put("p99Millis", Math.round(p99Millis() * 100) / 100.0)
                .put("rssMb", rssMb)
                .put("lost", lost)
                .put("duplicates", duplicates)
                .put("pacedPerSec", Math.round(pacedPerSec))
                .put("publishers", options.publishers())
                .put("inFlight", options.inFlight())
                .put("payloadBytes", options.payloadBytes())
                .put("windowSeconds", options.window().toSeconds());
        return json.toString();
    }
}
