package io.edgefn.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.CommandResult;
import io.edgefn.api.Message;
import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.HostListener;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the demo's story as it happens: readings (one a second), the anomaly and its evidence,
 * the shutdown command and its acknowledgement, device links and failures. It also keeps the
 * counts the summary reports.
 *
 * <p>Called on the host's threads; printing is serialised on the stream.
 */
final class DemoStory implements HostListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong anomalies = new AtomicLong();
    private volatile long lastReadingPrinted = -1;
    private volatile boolean shutdownCommanded;
    private volatile boolean shutdownAcknowledged;
    private volatile Long anomalyToShutdownMillis;
    private volatile Long commandMillis;

    DemoStory(PrintStream out) {
        this.out = out;
    }

    @Override
    public void messageRouted(Message message, int deliveries) {
        String source = message.source();
        if (source.equals("/messages") && "telemetry".equals(message.property("frameType"))) {
            long n = readings.incrementAndGet();
            long second = elapsedMillis() / 1000;
            if (second != lastReadingPrinted) {
                lastReadingPrinted = second;
                JsonNode r = parse(message);
                say("reading    %s  pressure %6.1f bar  temp %5.1f °C  rpm %5.0f   (%d readings so far)",
                        message.systemProperty("connectionDeviceId"), r.path("pressure").asDouble(),
                        r.path("temp").asDouble(), r.path("rpm").asDouble(), n);
            }
        } else if (source.equals("/messages") && "event".equals(message.property("frameType"))) {
            say("event      %s  %s", message.systemProperty("connectionDeviceId"), message.bodyAsString());
        } else if (source.endsWith("/anomaly-detector/outputs/anomalies")) {
            anomalies.incrementAndGet();
            JsonNode a = parse(message);
            say("ANOMALY    %s  %s: pressure %.1f bar, normal %.1f bar, z = %.1f, slope %.2f bar/s, %d reading(s) in a row",
                    a.path("deviceId").asText(), a.path("reason").asText(), a.path("pressure").asDouble(),
                    a.path("baseline").asDouble(), a.path("zScore").asDouble(), a.path("slope").asDouble(),
                    a.path("consecutive").asInt());
        } else if (source.endsWith("/pump-shutdown/outputs/outcomes")) {
            JsonNode o = parse(message);
            boolean acknowledged = o.path("acknowledged").asBoolean();
            if (acknowledged) {
                shutdownAcknowledged = true;
                anomalyToShutdownMillis = o.path("anomalyToAckMillis").asLong();
                commandMillis = o.path("commandMillis").asLong();
                say("STOPPED    %s  acknowledged the shutdown %d ms after sending (%d ms after the anomaly)",
                        o.path("deviceId").asText(), commandMillis, anomalyToShutdownMillis);
            } else {
                say("NOT STOPPED %s  shutdown failed: %s %s", o.path("deviceId").asText(), o.path("status").asText(),
                        o.path("detail").asText(""));
            }
        }
    }

    @Override
    public void commandSent(String deviceId, String name, Object args) {
        if ("shutdown".equals(name)) {
            shutdownCommanded = true;
        }
        say("command    %s  %s %s", deviceId, name, args);
    }

    @Override
    public void commandCompleted(String deviceId, String name, CommandResult result, Throwable failure) {
        if (failure != null) {
            say("command    %s  %s got no answer: %s", deviceId, name, failure.getMessage());
        }
    }

    @Override
    public void deviceStateChanged(String deviceId, String state, String reason) {
        say("device     %s  is %s%s", deviceId, state.toLowerCase(Locale.ROOT), reason == null ? "" : " (" + reason + ")");
    }

    @Override
    public void functionStateChanged(String function, FunctionState state, String reason) {
        if (state == FunctionState.BACKING_OFF || state == FunctionState.FAILED) {
            say("function   %s  %s: %s", function, state, reason);
        }
    }

    @Override
    public void invocationFinished(String function, String invocationId, long durationNanos, Throwable failure) {
        if (failure != null) {
            say("function   %s  invocation %s failed: %s", function, invocationId, failure);
        }
    }

    void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, "[%6.2fs] " + format, prepend(elapsedMillis() / 1000.0, args));
        synchronized (out) {
            out.println(line);
        }
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static JsonNode parse(Message message) {
        try {
            return JSON.readTree(message.body());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    long readings() {
        return readings.get();
    }

    long anomalies() {
        return anomalies.get();
    }

    boolean shutdownCommanded() {
        return shutdownCommanded;
    }

    boolean shutdownAcknowledged() {
        return shutdownAcknowledged;
    }

    Long anomalyToShutdownMillis() {
        return anomalyToShutdownMillis;
    }
}
