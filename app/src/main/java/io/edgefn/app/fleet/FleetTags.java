package io.edgefn.app.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A gateway's tags ({@code edgefn run --tag KEY=VALUE}) and a fleet deployment's target
 * ({@code --target KEY=VALUE}): parsing, matching, and the tags recorded in the data directory
 * ({@code fleet/tags.json}) so that a restart without {@code --tag} keeps them. Stateless.
 */
public final class FleetTags {

    /** The file in the data directory holding the tags. */
    public static final String FILE = "fleet/tags.json";

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetTags() {
    }

    /**
     * Parses {@code KEY=VALUE} pairs; {@code option} names the option in messages.
     *
     * @param allowRepeats whether a key may come more than once (a target: any of its values matches)
     * @return each key's values, in key order
     * @throws IllegalArgumentException naming the bad pair
     */
    public static Map<String, List<String>> parse(Collection<String> pairs, String option, boolean allowRepeats) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " '" + pair + "' is not KEY=VALUE");
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(option + " '" + pair + "': the key must be letters, digits, '.', '_' or '-'"
                        + " (at most 64), starting with a letter or digit");
            }
            if (value.isEmpty() || value.length() > 256) {
                throw new IllegalArgumentException(option + " '" + pair + "': the value must be 1 to 256 characters");
            }
            List<String> values = out.computeIfAbsent(key, k -> new ArrayList<>());
            if (!values.isEmpty() && !allowRepeats) {
                throw new IllegalArgumentException(option + " gives the key '" + key + "' twice");
            }
            if (!values.contains(value)) {
                values.add(value);
            }
        }
        return out;
    }

    /** A gateway's tags from {@code --tag} pairs: one value per key. */
    public static Map<String, String> gatewayTags(Collection<String> pairs) {
        Map<String, String> tags = new TreeMap<>();
        parse(pairs, "--tag", false).forEach((k, v) -> tags.put(k, v.getFirst()));
        return Collections.unmodifiableMap(tags);
    }

    /** Whether a gateway with {@code tags} is targeted: every key of the target has one of its values (an empty target matches all). */
    public static boolean matches(Map<String, List<String>> target, Map<String, String> tags) {
        for (Map.Entry<String, List<String>> e : target.entrySet()) {
            String tag = tags.get(e.getKey());
            if (tag == null || !e.getValue().contains(tag)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tags to use for the data directory {@code root}: {@code given} (and recorded) when not
     * null, else the recorded ones (none when nothing is recorded).
     *
     * @throws IllegalStateException naming the file when it cannot be read or written
     */
    public static Map<String, String> resolve(Path root, Map<String, String> given) {
        Path file = root.resolve(FILE);
        try {
            if (given != null) {
                Files.createDirectories(file.getParent());
                ObjectNode node = JSON.createObjectNode();
                given.forEach(node::put);
                Path tmp = file.resolveSibling("tags.json.tmp");
                Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return Collections.unmodifiableMap(new TreeMap<>(given));
            }
            if (!Files.exists(file)) {
                return Map.of();
            }
            JsonNode node = JSON.readTree(file.toFile());
            Map<String, String> tags = new TreeMap<>();
            node.properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
            return Collections.unmodifiableMap(tags);
        } catch (IOException e) {
            throw new IllegalStateException("cannot " + (given != null ? "record" : "read") + " the gateway's tags in "
                    + file + ": " + e.getMessage(), e);
        }
    }
}
