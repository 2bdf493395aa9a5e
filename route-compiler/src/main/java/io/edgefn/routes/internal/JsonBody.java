package io.edgefn.routes.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads a message body for {@code $body} queries exactly when edgeHub would: the system property
 * {@code contentType} must be {@code application/json} (ignoring case, nothing appended) and
 * {@code contentEncoding} one of {@code utf-8}, {@code utf-16} (little-endian) or {@code utf-32}
 * (little-endian); the body must be one JSON object. Parsing is as lenient as Newtonsoft's
 * (single quotes, unquoted names, comments, trailing commas). Stateless and thread-safe.
 */
final class JsonBody {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA,
                    JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** ISO-8601 as Newtonsoft's {@code DateTimeParser} recognises it, and {@code /Date(ms)/}. */
    private static final Pattern DATE = Pattern.compile(
            "\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,7})?"
                    + "(Z|[+-]\\d{2}(:?\\d{2})?)?|/Date\\(-?\\d+([+-]\\d{4})?\\)/");

    private JsonBody() {
    }

    /**
     * The parsed body as an object node, or a {@link Problem} saying why {@code $body} is undefined
     * for this message.
     */
    static Object parse(Message message) {
        String contentType = message.systemProperty(SystemProperties.CONTENT_TYPE);
        if (contentType == null) {
            return new Problem("the message has no contentType system property ($body queries need contentType "
                    + "application/json and contentEncoding utf-8)");
        }
        if (!contentType.equalsIgnoreCase("application/json")) {
            return new Problem("the message's contentType is '" + contentType + "', not exactly 'application/json'");
        }
        String encoding = message.systemProperty(SystemProperties.CONTENT_ENCODING);
        if (encoding == null) {
            return new Problem("the message has no contentEncoding system property ($body queries need utf-8, "
                    + "utf-16 or utf-32)");
        }
        Charset charset = switch (encoding.toLowerCase(java.util.Locale.ROOT)) {
            case "utf-8" -> StandardCharsets.UTF_8;
            case "utf-16" -> StandardCharsets.UTF_16LE;
            case "utf-32" -> Charset.forName("UTF-32LE");
            default -> null;
        };
        if (charset == null) {
            return new Problem("the message's contentEncoding '" + encoding + "' is not utf-8, utf-16 or utf-32");
        }
        byte[] bytes = message.body();
        JsonNode root = null;
        if (charset == StandardCharsets.UTF_8) {
            try {
                root = MAPPER.readTree(bytes);
            } catch (IOException e) {
                root = null; // decoded below as .NET would (bad bytes become U+FFFD), which also words the error
            }
        }
        if (root == null) {
            String text = new String(bytes, charset);
            if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
            try {
                root = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                String detail = e.getOriginalMessage();
                int newline = detail.indexOf('\n');
                return new Problem("the body is not valid JSON: " + (newline < 0 ? detail : detail.substring(0, newline))
                        + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
            }
        }
        if (root == null || root.isMissingNode()) {
            return new Problem("the body is empty, not a JSON object");
        }
        if (!root.isObject()) {
            return new Problem("the body is JSON " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not a JSON object");
        }
        return root;
    }

    /** Whether Newtonsoft would read this JSON string as a date (then a body query yields undefined). */
    static boolean looksLikeDate(String s) {
        int len = s.length();
        boolean iso = len >= 19 && len <= 40 && s.charAt(0) >= '0' && s.charAt(0) <= '9' && s.charAt(10) == 'T';
        boolean ms = len > 8 && s.charAt(0) == '/';
        return (iso || ms) && DATE.matcher(s).matches();
    }

    /** Why a body cannot be queried. */
    record Problem(String reason) {
    }
}
