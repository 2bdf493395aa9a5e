package io.edgefn.hub;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The property bag of an IoT Hub MQTT topic ({@code key=value&key2=value2}, each key and value
 * URL-encoded): a message's application properties, and its system properties under the reserved
 * {@code $.} keys ({@code $.mid} messageId, {@code $.cid} correlationId, {@code $.ct} contentType…).
 *
 * <p>Decoding is lenient where the SDKs differ and strict where a byte is wrong: keys and values
 * are percent-decoded (the Node SDK sends {@code %24.mid=…}), {@code +} is a space (the Java SDK
 * encodes with {@link URLEncoder}), a key without {@code =} has an empty value, empty pairs are
 * skipped, and the connection keys a client might write ({@code $.cdid}, {@code $.cmid}, …) are
 * ignored: the gateway sets those from the authenticated connection. A malformed escape
 * ({@code %zz}) is refused with a {@link MalformedBagException} that names the pair.
 *
 * <p>Stateless and thread-safe.
 */
public final class PropertyBag {

    /** Most pairs one bag may carry; more is refused (IoT Hub allows far fewer properties than this). */
    public static final int MAX_PAIRS = 256;

    /** Bag key → system property, both ways. */
    private static final Map<String, String> SYSTEM_BY_KEY = new LinkedHashMap<>();

    static {
        SYSTEM_BY_KEY.put("$.mid", SystemProperties.MESSAGE_ID);
        SYSTEM_BY_KEY.put("$.cid", SystemProperties.CORRELATION_ID);
        SYSTEM_BY_KEY.put("$.uid", SystemProperties.USER_ID);
        SYSTEM_BY_KEY.put("$.to", SystemProperties.TO);
        SYSTEM_BY_KEY.put("$.exp", SystemProperties.ABSOLUTE_EXPIRY_TIME);
        SYSTEM_BY_KEY.put("$.ct", SystemProperties.CONTENT_TYPE);
        SYSTEM_BY_KEY.put("$.ce", SystemProperties.CONTENT_ENCODING);
        SYSTEM_BY_KEY.put("$.on", SystemProperties.OUTPUT_NAME);
        SYSTEM_BY_KEY.put("$.ctime", SystemProperties.CREATION_TIME);
        SYSTEM_BY_KEY.put("$.schema", SystemProperties.MESSAGE_SCHEMA);
        SYSTEM_BY_KEY.put("$.ifid", SystemProperties.INTERFACE_ID);
        SYSTEM_BY_KEY.put("$.sub", SystemProperties.COMPONENT_NAME);
    }

    /** Keys the gateway writes toward a module or the cloud from the connection it authenticated. */
    private static final Map<String, String> CONNECTION_BY_KEY = new LinkedHashMap<>(Map.of(
            "$.cdid", SystemProperties.CONNECTION_DEVICE_ID));

    static {
        CONNECTION_BY_KEY.put("$.cmid", SystemProperties.CONNECTION_MODULE_ID);
    }

    private PropertyBag() {
    }

    /**
     * A decoded bag.
     *
     * @param properties       application properties, in the bag's order
     * @param systemProperties system properties by their {@link SystemProperties} names
     */
    public record Decoded(Map<String, String> properties, Map<String, String> systemProperties) {

        /** A message with {@code body} and these properties. */
        public Message toMessage(byte[] body) {
            Message.Builder b = Message.builder().body(body).properties(properties);
            systemProperties.forEach(b::systemProperty);
            return b.build();
        }
    }

    /** A bag that cannot be read: the reason names the pair. */
    public static final class MalformedBagException extends IllegalArgumentException {
        MalformedBagException(String message) {
            super(message);
        }
    }

    /**
     * Decodes {@code bag} (the topic text after {@code …/messages/events/}; may be empty).
     *
     * @throws MalformedBagException for a malformed escape or too many pairs
     */
    public static Decoded decode(String bag) {
        Map<String, String> app = new LinkedHashMap<>();
        Map<String, String> system = new LinkedHashMap<>();
        if (bag == null || bag.isEmpty()) {
            return new Decoded(app, system);
        }
        if (bag.endsWith("/")) {
            bag = bag.substring(0, bag.length() - 1);
        }
        int pairs = 0;
        for (String pair : bag.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++pairs > MAX_PAIRS) {
                throw new MalformedBagException("property bag has more than " + MAX_PAIRS + " pairs");
            }
            int eq = pair.indexOf('=');
            String key = unescape(eq < 0 ? pair : pair.substring(0, eq), pair);
            String value = eq < 0 ? "" : unescape(pair.substring(eq + 1), pair);
            if (key.isEmpty()) {
                throw new MalformedBagException("property bag pair '" + abbreviate(pair) + "' has an empty key");
            }
            String systemName = SYSTEM_BY_KEY.get(key);
            if (systemName != null) {
                system.put(systemName, value);
            } else if (!key.startsWith("$.") && !key.startsWith("$")) {
                app.put(key, value);
            }
            // Other "$" keys ($.cdid, $.cmid, $.to's relatives, future ones) are the gateway's to set, or unknown: dropped.
        }
        return new Decoded(app, system);
    }

    /**
     * The bag for {@code message}: its system properties under their {@code $.} keys, then its
     * application properties, with the connection ({@code $.cdid}, {@code $.cmid}) when
     * {@code withConnection} (toward a module, as edgeHub does); empty when it has none.
     */
    public static String encode(Message message, boolean withConnection) {
        StringBuilder out = new StringBuilder();
        // System properties first: the Azure IoT Java SDK (2.5.0) reads a received topic's
        // properties only from the first "%24" on, so application properties before it are lost.
        SYSTEM_BY_KEY.forEach((key, name) -> {
            String v = message.systemProperty(name);
            if (v != null) {
                append(out, key, v);
            }
        });
        if (withConnection) {
            CONNECTION_BY_KEY.forEach((key, name) -> {
                String v = message.systemProperty(name);
                if (v != null) {
                    append(out, key, v);
                }
            });
        }
        message.properties().forEach((k, v) -> append(out, k, v));
        return out.toString();
    }

    private static void append(StringBuilder out, String key, String value) {
        if (!out.isEmpty()) {
            out.append('&');
        }
        out.append(escape(key)).append('=').append(escape(value == null ? "" : value));
    }

    private static String escape(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String unescape(String s, String pair) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedBagException("property bag pair '" + abbreviate(pair) + "' is not URL-encoded: " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "…";
    }
}
