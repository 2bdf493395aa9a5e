package io.edgefn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.index.json.Fields;
import io.edgefn.index.json.LocatedJson;
import io.edgefn.index.json.Problems;
import java.time.Duration;
import java.util.List;

/**
 * How long, and by what measure, a gateway watches the functions a live deployment change started
 * before it calls the change good: a deployment's optional top-level {@code "healthGate"} object,
 * e.g. {@code {"seconds": 10, "maxErrorRate": 0.5, "minInvocations": 20}}. Within the gate period
 * a new or changed function that fails to start, restarts, is FAILED, or whose failed invocations
 * exceed {@code maxErrorRate} of at least {@code minInvocations} invocations rolls the change
 * back. Immutable.
 *
 * @param period         how long the gate watches; zero watches nothing after the functions started
 * @param maxErrorRate   the largest share of failed invocations (0 to 1) a new function may have
 * @param minInvocations how many invocations a function needs before its error rate counts
 */
public record HealthGate(Duration period, double maxErrorRate, int minInvocations) {

    /** The defaults: 10 s, at most half of at least 20 invocations failing. */
    public static final HealthGate DEFAULT = new HealthGate(Duration.ofSeconds(10), 0.5, 20);

    /** The member's name in a deployment. */
    public static final String MEMBER = "healthGate";

    static final List<String> KEYS = List.of("seconds", "maxErrorRate", "minInvocations");

    /** Checks the values. */
    public HealthGate {
        if (period == null || period.isNegative()) {
            throw new IllegalArgumentException("a health gate's period must be zero or positive, was " + period);
        }
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("a health gate's maxErrorRate must be between 0 and 1, was " + maxErrorRate);
        }
        if (minInvocations < 1) {
            throw new IllegalArgumentException("a health gate's minInvocations must be at least 1, was " + minInvocations);
        }
    }

    /** Reports every problem of {@code root}'s {@code healthGate} member, if it has one, to {@code problems}. */
    static void check(ObjectNode root, Problems problems) {
        read(root, problems);
    }

    /** The gate {@code root} (a whole, already checked deployment document) sets, or {@link #DEFAULT}. */
    static HealthGate of(ObjectNode root) {
        return read(root, null);
    }

    private static HealthGate read(ObjectNode root, Problems problems) {
        JsonNode node = root.get(MEMBER);
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        if (!node.isObject()) {
            if (problems != null) {
                problems.at(MEMBER, "'healthGate' must be an object like {\"seconds\": 10, \"maxErrorRate\": 0.5}, not "
                        + Fields.kind(node));
            }
            return DEFAULT;
        }
        ObjectNode gate = (ObjectNode) node;
        Long seconds = DEFAULT.period.toSeconds();
        Long min = (long) DEFAULT.minInvocations;
        double rate = DEFAULT.maxErrorRate;
        if (problems != null) {
            problems.unknownKeys(gate, MEMBER, KEYS);
            Fields fields = new Fields(problems);
            Long s = fields.integer(gate, MEMBER, "seconds", 0, 3600, "a number of seconds from 0 to 3600");
            Long m = fields.integer(gate, MEMBER, "minInvocations", 1, Integer.MAX_VALUE, "a positive number");
            seconds = s == null ? seconds : s;
            min = m == null ? min : m;
        } else {
            seconds = gate.has("seconds") ? gate.get("seconds").asLong() : seconds;
            min = gate.has("minInvocations") ? gate.get("minInvocations").asLong() : min;
        }
        JsonNode r = gate.get("maxErrorRate");
        if (r != null) {
            if (r.isNumber() && r.asDouble() >= 0 && r.asDouble() <= 1) {
                rate = r.asDouble();
            } else if (problems != null) {
                problems.at(LocatedJson.child(MEMBER, "maxErrorRate"), "'maxErrorRate' must be a number from 0 to 1"
                        + " (the share of a new function's invocations that may fail), was " + r);
            }
        }
        return new HealthGate(Duration.ofSeconds(seconds), rate, (int) (long) min);
    }
}
