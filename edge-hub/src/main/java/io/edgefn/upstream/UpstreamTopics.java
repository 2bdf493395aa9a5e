package io.edgefn.upstream;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.hub.PropertyBag;
import java.util.Objects;

/**
 * Where the upstream link publishes a message: the topic, property bag included, for each of the
 * two kinds of broker.
 *
 * <p>{@link #BROKER} (any MQTT broker, one connection for the whole gateway) keeps each sender's
 * own IoT Hub topic: a leaf device's message goes to {@code devices/{leafId}/messages/events/{bag}},
 * a function's or module's to {@code devices/{gatewayId}/modules/{moduleId}/messages/events/{bag}},
 * the gateway's own to {@code devices/{gatewayId}/messages/events/{bag}}; the bag carries the
 * connection ids ({@code $.cdid}, {@code $.cmid}).
 *
 * <p>{@link #IOT_HUB}: IoT Hub accepts from a device connection only that device's own topic, so
 * every message goes on the gateway's topic {@code devices/{gatewayId}/messages/events/{bag}}, and
 * a message that did not come from the gateway device itself names its sender in two application
 * properties, {@value #ORIGIN_DEVICE} and (for a function or module) {@value #ORIGIN_MODULE}; any
 * such properties the sender wrote itself are replaced. The hub sets {@code $.cdid} from the
 * connection, so the bag leaves the connection ids out. This choice is tested against the
 * protocol (protocols/iothub-mqtt.md), not against the real service.
 *
 * <p>Stateless and thread-safe.
 */
public enum UpstreamTopics {

    /** Any MQTT broker: each sender's own device or module topic. */
    BROKER {
        @Override
        public String topic(Message message, String gatewayId) {
            String device = checkId(originDevice(message, gatewayId), "connectionDeviceId");
            String module = message.systemProperty(SystemProperties.CONNECTION_MODULE_ID);
            String bag = PropertyBag.encode(message, true);
            if (module != null) {
                return "devices/" + device + "/modules/" + checkId(module, "connectionModuleId") + "/messages/events/" + bag;
            }
            return "devices/" + device + "/messages/events/" + bag;
        }
    },

    /** Azure IoT Hub: the gateway's own topic, the sender in {@value #ORIGIN_DEVICE}/{@value #ORIGIN_MODULE}. */
    IOT_HUB {
        @Override
        public String topic(Message message, String gatewayId) {
            String device = originDevice(message, gatewayId);
            String module = message.systemProperty(SystemProperties.CONNECTION_MODULE_ID);
            Message.Builder b = message.toBuilder().removeProperty(ORIGIN_DEVICE).removeProperty(ORIGIN_MODULE);
            if (module != null || !device.equals(gatewayId)) {
                b.property(ORIGIN_DEVICE, device);
                if (module != null) {
                    b.property(ORIGIN_MODULE, module);
                }
            }
            return "devices/" + checkId(gatewayId, "gatewayId") + "/messages/events/" + PropertyBag.encode(b.build(), false);
        }
    };

    /** In {@link #IOT_HUB} mode, the application property naming the device a message came from. */
    public static final String ORIGIN_DEVICE = "edgefn-origin-device";

    /** In {@link #IOT_HUB} mode, the application property naming the function or module a message came from. */
    public static final String ORIGIN_MODULE = "edgefn-origin-module";

    /**
     * The topic to publish {@code message} on for gateway {@code gatewayId}.
     *
     * @throws IllegalArgumentException when an id could not be part of a topic ({@code /}, {@code +},
     *                                  {@code #} or a control character in it, or empty)
     */
    public abstract String topic(Message message, String gatewayId);

    /** The strategy for a kind of broker. */
    public static UpstreamTopics of(UpstreamConfig.Mode mode) {
        return switch (Objects.requireNonNull(mode, "mode")) {
            case BROKER -> BROKER;
            case IOT_HUB -> IOT_HUB;
        };
    }

    private static String originDevice(Message message, String gatewayId) {
        String device = message.systemProperty(SystemProperties.CONNECTION_DEVICE_ID);
        return device != null ? device : gatewayId;
    }

    private static String checkId(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(what + " '" + id + "' cannot be part of a topic (has '/', '+', '#' or a control character)");
            }
        }
        return id;
    }
}
