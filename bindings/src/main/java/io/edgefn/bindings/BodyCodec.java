package io.edgefn.bindings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Converts message bodies to the values function parameters ask for, and function results to
 * messages.
 *
 * <p>Binding reads the body as UTF-8 JSON for {@link JsonNode}, POJOs and records (unknown JSON
 * fields are ignored, so a device may send more than a function reads). Results: a
 * {@link Message} is kept as it is, a {@code byte[]} becomes a raw body, a {@code String} a UTF-8
 * text body, and anything else a JSON body with content type {@code application/json} and
 * encoding {@code utf-8}, so that routes can query it with {@code $body}.
 *
 * <p>Thread-safe; share one instance.
 */
public final class BodyCodec {

    private final ObjectMapper mapper;

    /** A codec on a mapper configured for message bodies. */
    public BodyCodec() {
        this(new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .findAndRegisterModules());
    }

    /** A codec on {@code mapper}, which the caller must not reconfigure afterwards. */
    public BodyCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The mapper this codec uses. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The body as a JSON tree. */
    public JsonNode readTree(Message message) {
        try {
            return mapper.readTree(message.body());
        } catch (IOException e) {
            throw new BindingException("the body is not valid JSON: " + oneLine(e), e);
        }
    }

    /**
     * The body bound to {@code type}: {@code byte[]}, {@code String}, {@link JsonNode}, or a type
     * Jackson can read from JSON (its class loader must be able to see the type).
     */
    public Object read(Message message, Type type) {
        if (type == byte[].class) {
            return message.body();
        }
        if (type == String.class) {
            return message.bodyAsString();
        }
        if (type == Message.class) {
            return message;
        }
        if (message.bodyLength() == 0) {
            throw new BindingException("the body is empty; expected JSON for " + type.getTypeName());
        }
        try {
            return mapper.readValue(message.body(), mapper.getTypeFactory().constructType(type));
        } catch (IOException e) {
            throw new BindingException("the body cannot be read as " + type.getTypeName() + ": " + oneLine(e), e);
        }
    }

    /**
     * A reader of bodies as {@code type}, with Jackson's deserializer built now rather than on the
     * first message: a function's first invocation should not pay for introspecting its types.
     * Same conversions as {@link #read(Message, Type)}.
     */
    public java.util.function.Function<Message, Object> readerFor(Type type) {
        if (type == byte[].class || type == String.class || type == Message.class) {
            return message -> read(message, type);
        }
        com.fasterxml.jackson.databind.ObjectReader reader = mapper.readerFor(mapper.getTypeFactory().constructType(type));
        return message -> {
            if (message.bodyLength() == 0) {
                throw new BindingException("the body is empty; expected JSON for " + type.getTypeName());
            }
            try {
                return reader.readValue(message.body());
            } catch (IOException e) {
                throw new BindingException("the body cannot be read as " + type.getTypeName() + ": " + oneLine(e), e);
            }
        };
    }

    /** Builds Jackson's serializer for {@code type} now, so the first result written does not pay for it. */
    public void prepareWriting(Class<?> type) {
        if (type != void.class && type != Void.class && !type.isPrimitive() && type != byte[].class
                && type != String.class && type != Message.class && !type.isInterface()) {
            mapper.writerFor(type);
        }
    }

    /**
     * A message builder holding {@code value} as its body, as the class comment describes;
     * {@code properties} are added as application properties.
     */
    public Message.Builder write(Object value, Map<String, String> properties) {
        Message.Builder builder;
        if (value instanceof Message message) {
            builder = message.toBuilder();
        } else if (value instanceof byte[] bytes) {
            builder = Message.builder().body(bytes);
        } else if (value instanceof String text) {
            builder = Message.builder().body(text)
                    .systemProperty(SystemProperties.CONTENT_ENCODING, "utf-8");
        } else {
            try {
                builder = Message.builder().body(mapper.writeValueAsBytes(value))
                        .systemProperty(SystemProperties.CONTENT_TYPE, "application/json")
                        .systemProperty(SystemProperties.CONTENT_ENCODING, "utf-8");
            } catch (JsonProcessingException e) {
                throw new BindingException("cannot write a " + value.getClass().getName() + " as JSON: " + oneLine(e), e);
            }
        }
        properties.forEach(builder::property);
        return builder;
    }

    /** {@code value} as UTF-8 JSON text. */
    public String toJson(Object value) {
        try {
            return new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new BindingException("cannot write a " + value.getClass().getName() + " as JSON: " + oneLine(e), e);
        }
    }

    private static String oneLine(Exception e) {
        String text = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return text == null ? e.getClass().getSimpleName() : text.replace('\n', ' ');
    }
}
