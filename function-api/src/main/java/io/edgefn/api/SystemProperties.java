package io.edgefn.api;

/**
 * Names of the system properties a {@link Message} carries: those of IoT Hub and IoT Edge, as
 * routes see them ({@code $connectionDeviceId} in a route reads {@link #CONNECTION_DEVICE_ID}).
 * The MQTT property-bag key of each, where it has one, is in its comment.
 */
public final class SystemProperties {
    /** {@code $.mid}. */
    public static final String MESSAGE_ID = "messageId";
    /** A correlation id set by the application. */
    public static final String CORRELATION_ID = "correlationId";
    /** {@code $.cid}: edgeHub stores correlation ids received over MQTT under this key. */
    public static final String CID = "cid";
    /** {@code $.uid}. */
    public static final String USER_ID = "userId";
    /** {@code $.to}. */
    public static final String TO = "to";
    /** {@code $.exp}: absolute expiry time. */
    public static final String ABSOLUTE_EXPIRY_TIME = "absolute-expiry-time";
    /** {@code $.ct}. */
    public static final String CONTENT_TYPE = "contentType";
    /** {@code $.ce}. */
    public static final String CONTENT_ENCODING = "contentEncoding";
    /** {@code $.schema}. */
    public static final String MESSAGE_SCHEMA = "messageSchema";
    /** {@code $.ctime}. */
    public static final String CREATION_TIME = "creationTime";
    /** {@code $.on}: the output a module or function sent the message to. */
    public static final String OUTPUT_NAME = "outputName";
    /** The input a message was delivered to. */
    public static final String INPUT_NAME = "inputName";
    /** {@code $.ifid}. */
    public static final String INTERFACE_ID = "iothub-interface-id";
    /** {@code $.sub}: the component name. */
    public static final String COMPONENT_NAME = "dt-subject";
    /** The authenticated device the message came from; set by the gateway, never by the client. */
    public static final String CONNECTION_DEVICE_ID = "connectionDeviceId";
    /** The authenticated module (or function) the message came from; set by the gateway. */
    public static final String CONNECTION_MODULE_ID = "connectionModuleId";
    /** How the connection authenticated; set by the gateway. */
    public static final String CONNECTION_AUTH_METHOD = "connectionAuthMethod";
    /** When the gateway took the message, ISO-8601 UTC; set by the gateway. */
    public static final String ENQUEUED_TIME = "enqueuedTime";
    /** {@code twinChangeNotification} for twin change notifications. */
    public static final String MESSAGE_TYPE = "messageType";
    /** The value of {@link #MESSAGE_TYPE} that marks a twin change notification. */
    public static final String TWIN_CHANGE_NOTIFICATION = "twinChangeNotification";

    private SystemProperties() {
    }
}
