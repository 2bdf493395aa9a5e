package io.edgefn.app.gateway;

import io.edgefn.hub.HubStats;
import io.edgefn.upstream.UpstreamStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The edge hub's and the upstream link's counters as the management API's {@code GET /status}
 * shows them ({@code hub}, {@code upstream}): plain JSON values, times as ISO-8601 text. Stateless.
 */
final class StatusSections {

    private StatusSections() {
    }

    /** The hub: clients connected by identity, messages received, acknowledged and refused by reason. */
    static Map<String, Object> hub(HubStats s) {
        Map<String, Object> clients = new LinkedHashMap<>();
        s.clients().forEach((id, c) -> {
            Map<String, Object> client = new LinkedHashMap<>();
            client.put("authMethod", c.authMethod());
            client.put("remoteAddress", c.remoteAddress());
            client.put("connectedAt", String.valueOf(c.connectedAt()));
            client.put("paused", c.paused());
            clients.put(id, client);
        });
        Map<String, Object> refused = new LinkedHashMap<>();
        s.refused().forEach((reason, n) -> refused.put(reason.name(), n));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientsConnected", s.clientsConnected());
        out.put("clients", clients);
        out.put("openConnections", s.openConnections());
        out.put("messagesReceived", s.messagesReceived());
        out.put("messagesAcked", s.messagesAcked());
        out.put("bytesReceived", s.bytesReceived());
        out.put("refused", refused);
        out.put("moduleMessagesSent", s.moduleMessagesSent());
        out.put("moduleMessagesAcked", s.moduleMessagesAcked());
        return out;
    }

    /** The upstream link: state, in flight, sent, expired, connects, the last error. */
    /** The fleet agent: connected, the gateway's tags, and the last fleet deployment it answered. */
    static Map<String, Object> fleet(io.edgefn.app.fleet.FleetAgent agent) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connected", agent.connected());
        out.put("tags", new LinkedHashMap<>(agent.tags()));
        io.edgefn.app.fleet.FleetStatus last = agent.lastStatus();
        if (last == null) {
            out.put("last", null);
        } else {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("fleetDeployment", last.fleetDeployment());
            l.put("version", last.version());
            l.put("state", last.state());
            l.put("reasons", last.reasons());
            l.put("at", last.at());
            out.put("last", l);
        }
        return out;
    }

    static Map<String, Object> upstream(UpstreamStats s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", s.state().name());
        out.put("inFlight", s.inFlight());
        out.put("sent", s.sent());
        out.put("expiredDropped", s.expiredDropped());
        out.put("undeliverable", s.undeliverable());
        out.put("connects", s.connects());
        out.put("reconnects", s.reconnects());
        out.put("connectFailures", s.connectFailures());
        out.put("lastError", s.lastError());
        out.put("lastConnectedAt", s.lastConnectedAt() == null ? null : s.lastConnectedAt().toString());
        out.put("lastLostAt", s.lastLostAt() == null ? null : s.lastLostAt().toString());
        return out;
    }
}
