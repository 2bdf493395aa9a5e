package io.edgefn.hub;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of an {@link EdgeHub}'s clients and counters.
 *
 * @param clients             the connected clients by client id ({@code deviceId} or {@code deviceId/moduleId})
 * @param openConnections     TCP connections open, including those not yet past CONNECT
 * @param messagesReceived    PUBLISH packets taken into the host's ingress (QoS 0 and 1)
 * @param messagesAcked       QoS 1 messages acknowledged (PUBACK) after every sink took them
 * @param bytesReceived       payload bytes of the messages received
 * @param refused             refusals of clients and messages, by reason
 * @param moduleMessagesSent  messages published to modules' inputs
 * @param moduleMessagesAcked of those, acknowledged by the module
 * @param clientConnects      clients that completed CONNECT since the hub started
 * @param clientDisconnects   connected clients whose connection ended since (closed, lost or taken over)
 */
public record HubStats(Map<String, ClientInfo> clients, int openConnections, long messagesReceived,
                       long messagesAcked, long bytesReceived, Map<RefusalReason, Long> refused,
                       long moduleMessagesSent, long moduleMessagesAcked, long clientConnects, long clientDisconnects) {

    /** How many clients are connected. */
    public int clientsConnected() {
        return clients.size();
    }

    /** How many refusals there were for {@code reason}. */
    public long refused(RefusalReason reason) {
        return refused.getOrDefault(reason, 0L);
    }

    /**
     * One connected client.
     *
     * @param authMethod    how it was authenticated (IoT Hub's {@code connectionAuthMethod})
     * @param remoteAddress where it connected from
     * @param connectedAt   when it connected, by the hub's clock
     * @param paused        whether its socket is paused because a sink is nearly full
     */
    public record ClientInfo(String authMethod, String remoteAddress, Instant connectedAt, boolean paused) {
    }
}
