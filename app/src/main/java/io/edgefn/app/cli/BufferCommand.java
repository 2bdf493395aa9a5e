package io.edgefn.app.cli;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.runtime.UpstreamRecords;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgefn buffer}: looking into a gateway's offline buffer without changing it. */
@Command(name = "buffer", mixinStandardHelpOptions = true,
        description = "Looks into a gateway's offline buffer, read-only (also while its host runs).",
        subcommands = {BufferCommand.Peek.class})
final class BufferCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code edgefn buffer peek}: the first records a cursor holds. Opens the buffer with
     * {@link OfflineBuffer#openReadOnly}, so it writes nothing and works beside a running host
     * (showing what the files held when it opened).
     */
    @Command(name = "peek", mixinStandardHelpOptions = true,
            description = {"Prints the first records a cursor of the offline buffer holds: offset, priority, age, size, "
                            + "and the message's system properties, properties and body preview.",
                    "Read-only; works while a host runs."})
    static final class Peek implements Callable<Integer> {
        /** Body bytes shown before the preview is cut. */
        static final int PREVIEW = 120;

        @Mixin
        DataDirOption dataDir;

        @Option(names = "--cursor", paramLabel = "NAME", defaultValue = UpstreamRecords.CURSOR,
                description = "The cursor whose records to show (default ${DEFAULT-VALUE}).")
        String cursor;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
                description = "How many records to show at most (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            if (limit <= 0) {
                throw new IllegalArgumentException("--limit must be a positive number of records, was " + limit);
            }
            HostDataDir dir = HostDataDir.find(dataDir.resolve());
            if (!Files.isDirectory(dir.buffer())) {
                throw new IllegalArgumentException("no offline buffer in " + dir.describe() + " (expected " + dir.buffer() + ")");
            }
            try (OfflineBuffer buffer = OfflineBuffer.openReadOnly(dir.buffer())) {
                List<BufferedRecord> records = buffer.peek(cursor, limit);
                long depth = buffer.stats().cursors().stream().filter(c -> c.name().equals(cursor))
                        .mapToLong(c -> c.depth()).sum();
                System.out.printf("cursor %s of %s: %d record(s) held%s%n", cursor, dir.buffer(), depth,
                        records.size() < depth ? ", the first " + records.size() + " shown" : "");
                long now = System.currentTimeMillis();
                for (BufferedRecord r : records) {
                    print(r, now);
                }
            }
            return 0;
        }

        private static void print(BufferedRecord r, long now) {
            System.out.printf("offset %d  priority %d  age %s  size %d B%s%n", r.offset(), r.priority(),
                    age(now - r.enqueuedAtMillis()), r.payload().length,
                    r.expiresAtMillis() == 0 ? "" : "  expires " + Instant.ofEpochMilli(r.expiresAtMillis()));
            Message message;
            try {
                message = UpstreamRecords.decode(r.payload());
            } catch (IllegalArgumentException notAMessage) {
                System.out.println("  (not a message the host wrote: " + notAMessage.getMessage() + ")");
                System.out.println("  bytes: " + preview(r.payload()));
                return;
            }
            System.out.println("  system properties: " + quoted(message.systemProperties()));
            if (!message.properties().isEmpty()) {
                System.out.println("  properties: " + quoted(message.properties()));
            }
            System.out.println("  body (" + message.bodyLength() + " B): " + preview(message.body()));
        }

        private static String age(long millis) {
            if (millis < 0) {
                return "0 s";
            }
            return millis < 120_000 ? String.format("%.1f s", millis / 1000.0) : String.format("%d min", millis / 60_000);
        }

        private static String quoted(Map<String, String> map) {
            StringBuilder sb = new StringBuilder("{");
            map.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(escape(k)).append('=')
                    .append(v == null ? "null" : escape(v)));
            return sb.append('}').toString();
        }

        /** The body as text if it is UTF-8, else in hex; cut at {@link #PREVIEW} bytes; control characters escaped. */
        static String preview(byte[] body) {
            int n = Math.min(body.length, PREVIEW);
            // A cut may split a character: try up to three bytes shorter before calling it binary.
            for (int cut = n; cut >= Math.max(0, n - 3) && (cut == n || n < body.length); cut--) {
                try {
                    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body, 0, cut)).toString();
                    return '"' + escape(text) + '"' + more(body.length - cut);
                } catch (CharacterCodingException notThere) {
                    // shorter, or binary
                }
            }
            StringBuilder hex = new StringBuilder("0x");
            for (int i = 0; i < n; i++) {
                hex.append(String.format("%02x", body[i]));
            }
            return hex + more(body.length - n);
        }

        private static String more(int bytes) {
            return bytes > 0 ? " ... (" + bytes + " more bytes)" : "";
        }

        /** {@code s} with control characters escaped, so that stored bytes cannot drive the terminal. */
        static String escape(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            s.codePoints().forEach(c -> {
                if (c == '\\' || c == '"') {
                    sb.append('\\').appendCodePoint(c);
                } else if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else if (c == '\t') {
                    sb.append("\\t");
                } else if (Character.isISOControl(c)) {
                    sb.append(String.format("\\u%04x", c));
                } else {
                    sb.append(Character.toChars(c));
                }
            });
            return sb.toString();
        }
    }
}
