package io.edgefn.app.fleet;

/**
 * The MQTT topics of fleet deployments (docs/deployment.md "Fleets"). Every message on them is
 * retained, so a gateway or a CLI that connects later sees the latest state at once. Stateless.
 */
public final class FleetTopics {

    /**
     * The common prefix: a root of its own, apart from the upstream link's {@code edgefn/{deviceId}/…}
     * topics, so that no device's namespace (nor a broker ACL granting one) covers the fleet's.
     */
    public static final String PREFIX = "edgefn-fleet/";

    /** The latest fleet deployment (retained, QoS 1), one for the whole broker. */
    public static final String DEPLOYMENT = PREFIX + "deployment";

    /** Every gateway's announcement, {@code edgefn-fleet/gateways/+}. */
    public static final String GATEWAYS = PREFIX + "gateways/+";

    /** Every gateway's status, {@code edgefn-fleet/status/+}. */
    public static final String STATUSES = PREFIX + "status/+";

    private FleetTopics() {
    }

    /** Where gateway {@code gatewayId} announces itself and its tags (retained; its will says it went offline). */
    public static String gateway(String gatewayId) {
        return PREFIX + "gateways/" + gatewayId;
    }

    /** Where gateway {@code gatewayId} reports how it handled the latest fleet deployment (retained). */
    public static String status(String gatewayId) {
        return PREFIX + "status/" + gatewayId;
    }

    /** The gateway id that is the last level of {@code topic}. */
    public static String lastLevel(String topic) {
        return topic.substring(topic.lastIndexOf('/') + 1);
    }
}
