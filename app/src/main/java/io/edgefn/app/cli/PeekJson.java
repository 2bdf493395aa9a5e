package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.runtime.UpstreamRecords;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * One held record as {@code edgefn buffer peek --json} prints it: a JSON object on one line with
 * {@code offset}, {@code priority}, {@code ageMillis}, {@code sizeBytes}, {@code properties} (the
 * application properties), {@code systemProperties}, and {@code body} (text, when the body is
 * valid UTF-8) or {@code bodyBase64}. A record that is not a message the host wrote has
 * {@code error} and its bytes as {@code bodyBase64}. Stateless.
 */
final class PeekJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PeekJson() {
    }

    /** {@code r} as one line of JSON, its age counted to {@code nowMillis}. */
    static String line(BufferedRecord r, long nowMillis) {
        ObjectNode out = JSON.createObjectNode()
                .put("offset", r.offset())
                .put("priority", r.priority())
                .put("ageMillis", Math.max(0, nowMillis - r.enqueuedAtMillis()))
                .put("sizeBytes", r.payload().length);
        if (r.expiresAtMillis() != 0) {
            out.put("expiresAtMillis", r.expiresAtMillis());
        }
        Message message;
        try {
            message = UpstreamRecords.decode(r.payload());
        } catch (IllegalArgumentException notAMessage) {
            out.put("error", "not a message the host wrote: " + notAMessage.getMessage());
            out.put("bodyBase64", Base64.getEncoder().encodeToString(r.payload()));
            return out.toString();
        }
        strings(out.putObject("properties"), message.properties());
        strings(out.putObject("systemProperties"), message.systemProperties());
        String text = utf8(message.body());
        if (text != null) {
            out.put("body", text);
        } else {
            out.put("bodyBase64", Base64.getEncoder().encodeToString(message.body()));
        }
        return out.toString();
    }

    private static void strings(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }

    /** {@code bytes} as text when they are valid UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
