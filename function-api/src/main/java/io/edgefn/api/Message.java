package io.edgefn.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable message: body bytes, application properties and system properties.
 *
 * <p>Property names compare case-insensitively, as in IoT Hub and IoT Edge routes: a message with
 * property {@code Temp} answers {@link #property(String) property("temp")}. Application property
 * values may be {@code null} (a property that is present without a value, which routes treat as
 * a defined null). System property names are those of {@link SystemProperties}.
 *
 * <p>The message's route {@linkplain #source() source} follows from its system properties, as
 * edgeHub derives it: a twin change notification, a module or function output, or device
 * telemetry.
 *
 * <p>Instances are safe to share between threads.
 */
public final class Message {

    private static final byte[] EMPTY = new byte[0];

    private final byte[] body;
    private final Map<String, String> properties;
    private final Map<String, String> systemProperties;
    /** The maps behind the two views, which a builder from {@link #toBuilder()} shares until it changes them. */
    private final TreeMap<String, String> propertyMap;
    private final TreeMap<String, String> systemPropertyMap;

    /** The builder's maps, which it will copy before it changes them again (see {@link Builder#build()}). */
    private Message(Builder builder) {
        this.body = builder.body;
        this.propertyMap = builder.properties;
        this.systemPropertyMap = builder.systemProperties;
        this.properties = frozen(propertyMap);
        this.systemProperties = frozen(systemPropertyMap);
    }

    /** A builder for a message with no body and no properties. */
    public static Builder builder() {
        return new Builder();
    }

    /** A message whose body is {@code text} in UTF-8, with no properties. */
    public static Message ofText(String text) {
        return builder().body(text).build();
    }

    /** A builder that starts as a copy of this message. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.body = body;
        // Shared until the builder first changes them: stamping a copy copies each map once.
        b.properties = propertyMap;
        b.systemProperties = systemPropertyMap;
        b.propertiesShared = true;
        b.systemPropertiesShared = true;
        return b;
    }

    /** A copy of the body bytes. */
    public byte[] body() {
        return body.clone();
    }

    /** A read-only view of the body bytes, without copying. */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** The body length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The application properties, ordered by name ignoring case; looking a name up in this map
     * ignores case. Values may be {@code null}.
     */
    public Map<String, String> properties() {
        return properties;
    }

    /** The system properties; looking a name up in this map ignores case. */
    public Map<String, String> systemProperties() {
        return systemProperties;
    }

    /** The application property {@code name} (case-insensitive), or {@code null} if absent or null. */
    public String property(String name) {
        return properties.get(name);
    }

    /** Whether the application property {@code name} is present, even with a null value. */
    public boolean hasProperty(String name) {
        return properties.containsKey(name);
    }

    /** The system property {@code name} (case-insensitive, see {@link SystemProperties}), or {@code null}. */
    public String systemProperty(String name) {
        return systemProperties.get(name);
    }

    /**
     * This message's route source, without a trailing slash: {@code /twinChangeNotifications} for
     * a twin change notification, {@code /messages/modules/{module}/outputs/{output}} for what a
     * module or function sent to a named output, {@code /messages/modules/{module}} for what a
     * module sent without an output name, and {@code /messages} for device telemetry.
     */
    public String source() {
        if (SystemProperties.TWIN_CHANGE_NOTIFICATION.equals(systemProperties.get(SystemProperties.MESSAGE_TYPE))) {
            return "/twinChangeNotifications";
        }
        String module = systemProperties.get(SystemProperties.CONNECTION_MODULE_ID);
        if (module == null) {
            return "/messages";
        }
        String output = systemProperties.get(SystemProperties.OUTPUT_NAME);
        return output == null
                ? "/messages/modules/" + module
                : "/messages/modules/" + module + "/outputs/" + output;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m
                && Arrays.equals(body, m.body)
                && new LinkedHashMap<>(properties).equals(new LinkedHashMap<>(m.properties))
                && new LinkedHashMap<>(systemProperties).equals(new LinkedHashMap<>(m.systemProperties));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body) * 31 + systemProperties.size() * 7 + properties.size();
    }

    @Override
    public String toString() {
        String text = body.length <= 200 ? bodyAsString() : bodyAsString().substring(0, 200) + "…";
        return "Message[source=" + source() + ", properties=" + properties + ", systemProperties="
                + systemProperties + ", body=" + text + "]";
    }

    /**
     * A read-only view of {@code map}, which no one may change from now on: its builder copies it
     * before its next change. A TreeMap with a case-insensitive order: lookups ignore case without
     * allocating.
     */
    private static Map<String, String> frozen(TreeMap<String, String> map) {
        return map.isEmpty() ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(map);
    }

    /**
     * Builds a {@link Message}. Not thread-safe; a builder may build several messages. A later
     * value for a name replaces an earlier one whatever the case of the name.
     *
     * <p>A message keeps its builder's property maps rather than copying them; the builder copies a
     * map before it next changes it (as does a builder from {@link Message#toBuilder()}, which
     * starts with the message's maps), so a message never sees a change made after it was built.
     */
    public static final class Builder {
        private byte[] body = EMPTY;
        private TreeMap<String, String> properties = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private TreeMap<String, String> systemProperties = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        /** Whether {@link #properties} belongs to a message too, and must be copied before a change. */
        private boolean propertiesShared;
        /** Whether {@link #systemProperties} belongs to a message too. */
        private boolean systemPropertiesShared;

        private Builder() {
        }

        /** Sets the body to a copy of {@code bytes}. */
        public Builder body(byte[] bytes) {
            this.body = Objects.requireNonNull(bytes, "body").clone();
            return this;
        }

        /** Sets the body to {@code text} in UTF-8. */
        public Builder body(String text) {
            this.body = Objects.requireNonNull(text, "body").getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Sets the body to UTF-8 JSON text and the content type and encoding that let routes
         * query it ({@code application/json}, {@code utf-8}).
         */
        public Builder jsonBody(String json) {
            body(json);
            writableSystemProperties().put(SystemProperties.CONTENT_TYPE, "application/json");
            writableSystemProperties().put(SystemProperties.CONTENT_ENCODING, "utf-8");
            return this;
        }

        /** Sets an application property; {@code value} may be {@code null} (present, no value). */
        public Builder property(String name, String value) {
            writableProperties().put(requireName(name), value);
            return this;
        }

        /** Sets every entry of {@code values} as an application property. */
        public Builder properties(Map<String, String> values) {
            values.forEach(this::property);
            return this;
        }

        /** Removes an application property. */
        public Builder removeProperty(String name) {
            if (properties.containsKey(name)) {
                writableProperties().remove(name);
            }
            return this;
        }

        /** Sets a system property, or removes it when {@code value} is {@code null}. */
        public Builder systemProperty(String name, String value) {
            if (value == null) {
                if (systemProperties.containsKey(requireName(name))) {
                    writableSystemProperties().remove(name);
                }
            } else if (!value.equals(systemProperties.get(requireName(name)))) {
                writableSystemProperties().put(name, value);
            }
            return this;
        }

        /** The message. */
        public Message build() {
            Message message = new Message(this);
            propertiesShared = true;
            systemPropertiesShared = true;
            return message;
        }

        private TreeMap<String, String> writableProperties() {
            if (propertiesShared) {
                properties = new TreeMap<>(properties);
                propertiesShared = false;
            }
            return properties;
        }

        private TreeMap<String, String> writableSystemProperties() {
            if (systemPropertiesShared) {
                systemProperties = new TreeMap<>(systemProperties);
                systemPropertiesShared = false;
            }
            return systemProperties;
        }

        private static String requireName(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a property name must not be null or empty, was: " + name);
            }
            return name;
        }
    }
}
