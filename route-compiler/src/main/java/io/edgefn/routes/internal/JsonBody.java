package io.edgefn.routes.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
 *
 * <p>Never throws for any body: a body that claims to be JSON but that the reader refuses —
 * malformed, or beyond one of the {@link #LIMITS} (nesting, string, number or name length) — is a
 * {@link Problem} marked {@linkplain Problem#unreadable() unreadable}, which the route table
 * counts; {@code $body} is then undefined, as edgeHub treats a body it cannot parse.
 */
final class JsonBody {

    /**
     * What the body reader refuses, named here rather than left to the library's defaults (these
     * are Jackson 2.19's): deeper nesting, longer strings, numbers and names.
     */
    static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(1_000)
            .maxStringLength(20_000_000)
            .maxNumberLength(1_000)
            .maxNameLength(50_000)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LIMITS).build())
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
            } catch (StreamConstraintsException e) {
                return unreadable(e); // decoding first would not help: the same limit stops the text too
            } catch (IOException | RuntimeException e) {
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
            } catch (JsonProcessingException | RuntimeException e) {
                return unreadable(e);
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

    /**
     * Whether the body of {@code message} is marked as JSON in UTF-8 — the one case that
     * {@link BodyPlan} reads with a streaming parser; every other case goes through {@link #parse}.
     */
    static boolean isUtf8Json(Message message) {
        String contentType = message.systemProperty(SystemProperties.CONTENT_TYPE);
        String encoding = message.systemProperty(SystemProperties.CONTENT_ENCODING);
        return contentType != null && encoding != null && contentType.equalsIgnoreCase("application/json")
                && encoding.equalsIgnoreCase("utf-8"); // the same strings as parse's toLowerCase(ROOT) switch accepts
    }

    /** A streaming parser over {@code bytes} with exactly the features and limits {@link #parse} reads with. */
    static JsonParser parser(byte[] bytes) throws IOException {
        return MAPPER.createParser(bytes);
    }

    /** Whether Newtonsoft would read this JSON string as a date (then a body query yields undefined). */
    static boolean looksLikeDate(String s) {
        int len = s.length();
        boolean iso = len >= 19 && len <= 40 && s.charAt(0) >= '0' && s.charAt(0) <= '9' && s.charAt(10) == 'T';
        boolean ms = len > 8 && s.charAt(0) == '/';
        return (iso || ms) && DATE.matcher(s).matches();
    }

    /** A body the reader refused, with why and where (Jackson's limit errors carry no location). */
    private static Problem unreadable(Exception e) {
        if (!(e instanceof JsonProcessingException json)) {
            return new Problem("the body cannot be read as JSON: " + e, true);
        }
        String detail = String.valueOf(json.getOriginalMessage());
        int newline = detail.indexOf('\n');
        detail = newline < 0 ? detail : detail.substring(0, newline);
        JsonLocation at = json.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new Problem(e instanceof StreamConstraintsException
                ? "the body is beyond the JSON reader's limits: " + detail + where
                : "the body is not valid JSON: " + detail + where, true);
    }

    /**
     * Why a body cannot be queried.
     *
     * @param reason     for a person
     * @param unreadable whether the body claims to be JSON but the reader refused it (malformed or
     *                   beyond its limits), as opposed to a body that is not marked as JSON or is
     *                   JSON but not an object
     */
    record Problem(String reason, boolean unreadable) {
        Problem(String reason) {
            this(reason, false);
        }
    }
}
