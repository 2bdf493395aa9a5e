package io.edgefn.hub;

/** Why the edge hub refused a client or one of its messages; each is counted in {@link HubStats#refused()}. */
public enum RefusalReason {
    /** A CONNECT the authenticator refused, or whose client id did not match the identity. */
    NOT_AUTHORIZED,
    /** A CONNECT while {@link HubOptions#maxClients()} clients were connected (CONNACK 3). */
    SERVER_FULL,
    /** A CONNECT that never came within {@link HubOptions#connectTimeout()}. */
    CONNECT_TIMEOUT,
    /** Bytes that are not MQTT 3.1.1, or a packet out of order: the connection was closed. */
    PROTOCOL_ERROR,
    /** A PUBLISH to a topic the client may not publish to: dropped, client disconnected. */
    FORBIDDEN_TOPIC,
    /** A PUBLISH whose payload was larger than {@link HubOptions#maxMessageBytes()}: client disconnected. */
    PAYLOAD_TOO_LARGE,
    /** A PUBLISH whose property bag could not be decoded: client disconnected. */
    MALFORMED_PROPERTY_BAG,
    /** A message a sink of the host refused (a full buffer under reject-new, a stopped host); a QoS 1 sender is disconnected without PUBACK. */
    SINK_REFUSED
}
