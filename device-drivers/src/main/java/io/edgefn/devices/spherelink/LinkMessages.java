package io.edgefn.devices.spherelink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.devices.LinkState;
import java.util.Locale;

/**
 * Turns what the link hears into messages, exactly as the spec's "Mapping to messages" says:
 * body = payload bytes, {@code contentType} {@code application/json}, {@code contentEncoding}
 * {@code utf-8}, {@code connectionDeviceId} = the configured id, property {@code frameType}.
 * Stateless.
 */
final class LinkMessages {
    /** The application property naming where a device message came from. */
    static final String FRAME_TYPE = "frameType";

    private LinkMessages() {
    }

    static Message telemetry(String deviceId, byte[] payload) {
        return of(deviceId, payload, "telemetry");
    }

    static Message event(String deviceId, byte[] payload) {
        return of(deviceId, payload, "event");
    }

    /** {@code {"deviceId": …, "state": "online" | "offline", "reason": …}} with {@code frameType} {@code lifecycle}. */
    static Message lifecycle(String deviceId, LinkState state, String reason) {
        ObjectNode body = Payloads.object();
        body.put("deviceId", deviceId);
        body.put("state", state == LinkState.ONLINE ? "online" : "offline");
        body.put("linkState", state.name().toLowerCase(Locale.ROOT));
        body.put("reason", reason);
        return of(deviceId, Payloads.bytes(body), "lifecycle");
    }

    private static Message of(String deviceId, byte[] payload, String frameType) {
        return Message.builder()
                .body(payload)
                .systemProperty(SystemProperties.CONTENT_TYPE, "application/json")
                .systemProperty(SystemProperties.CONTENT_ENCODING, "utf-8")
                .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, deviceId)
                .property(FRAME_TYPE, frameType)
                .build();
    }
}
