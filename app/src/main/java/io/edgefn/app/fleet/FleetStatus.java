package io.edgefn.app.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a gateway reports on {@link FleetTopics#status} (retained) about the latest fleet
 * deployment it took up:
 * <pre>{"gatewayId": "gw-7", "fleetDeployment": "…", "version": "v2", "state": "APPLIED",
 *  "reasons": [], "applyMillis": 180, "gateMillis": 10000, "totalMillis": 10240, "at": "…"}</pre>
 * Immutable.
 *
 * @param gatewayId      the reporting gateway
 * @param fleetDeployment the fleet deployment's id
 * @param version        the deployment's version, or null
 * @param state          {@link #APPLYING}, {@link #APPLIED}, {@link #ROLLED_BACK} or {@link #REFUSED}
 * @param reasons        why it was refused or rolled back
 * @param applyMillis    the host's apply time up to the swap (-1 when it did not get there)
 * @param gateMillis     how long the health gate watched (-1 when it did not get there)
 * @param totalMillis    from the message's arrival to this state
 * @param at             when (ISO-8601)
 */
public record FleetStatus(String gatewayId, String fleetDeployment, String version, String state, List<String> reasons,
                          long applyMillis, long gateMillis, long totalMillis, String at) {

    /** Taken up, being applied. */
    public static final String APPLYING = "APPLYING";
    /** Applied and passed its health gate. */
    public static final String APPLIED = "APPLIED";
    /** Applied, failed its health gate: the previous deployment runs again. */
    public static final String ROLLED_BACK = "ROLLED_BACK";
    /** Not applied: invalid, unsigned, or not for this gateway's keys; nothing changed. */
    public static final String REFUSED = "REFUSED";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the reasons. */
    public FleetStatus {
        reasons = List.copyOf(reasons);
    }

    /** Whether this is an end state (not {@link #APPLYING}). */
    public boolean done() {
        return !APPLYING.equals(state);
    }

    /** The message's bytes. */
    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode().put("gatewayId", gatewayId).put("fleetDeployment", fleetDeployment)
                .put("version", version).put("state", state);
        reasons.forEach(n.putArray("reasons")::add);
        n.put("applyMillis", applyMillis).put("gateMillis", gateMillis).put("totalMillis", totalMillis).put("at", at);
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
    }

    /**
     * Reads a status message.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static FleetStatus parse(byte[] payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject() || !n.path("fleetDeployment").isTextual() || !n.path("state").isTextual()) {
            throw new IllegalArgumentException("not a fleet status (no fleetDeployment and state)");
        }
        List<String> reasons = new ArrayList<>();
        n.path("reasons").forEach(r -> reasons.add(r.asText()));
        return new FleetStatus(n.path("gatewayId").asText(null), n.path("fleetDeployment").asText(),
                n.path("version").isTextual() ? n.path("version").asText() : null, n.path("state").asText(), reasons,
                n.path("applyMillis").asLong(-1), n.path("gateMillis").asLong(-1), n.path("totalMillis").asLong(-1),
                n.path("at").asText(""));
    }
}
