package io.edgefn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.index.json.Fields;
import io.edgefn.index.json.LocatedJson;
import io.edgefn.index.json.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the {@code brokers} section of edgefn's deployment form: one external MQTT broker per
 * name, each problem added to {@link Problems} at its JSON path. Files are named here, not read:
 * the host reads the auth file when it connects, so checking a deployment never touches secrets.
 *
 * <p>Owned by the one thread reading the document.
 */
final class BrokerReader {

    /** The section's key at the top level. */
    static final String SECTION = "brokers";

    private static final List<String> KEYS = List.of("uri", "clientId", "username", "password", "auth", "ca");
    /** What a broker's name may be: what {@code @MqttTrigger(broker = …)} accepts. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    /** MQTT 3.1.1 allows servers to refuse ids beyond 23 characters; Mosquitto takes up to 65535 bytes. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final Problems problems;
    private final Fields fields;
    private final Path baseDirectory;

    BrokerReader(Problems problems, Path baseDirectory) {
        this.problems = problems;
        this.fields = new Fields(problems);
        this.baseDirectory = baseDirectory;
    }

    /** The valid brokers of {@code root}'s {@code brokers} section, by name, in document order. */
    Map<String, BrokerEntry> read(ObjectNode root) {
        Map<String, BrokerEntry> brokers = new LinkedHashMap<>();
        ObjectNode map = fields.object(root, "", SECTION, false);
        if (map == null) {
            return brokers;
        }
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String at = LocatedJson.child(SECTION, e.getKey());
            if (!NAME.matcher(e.getKey()).matches()) {
                problems.atKey(at, "broker name '" + e.getKey() + "' is not allowed: a broker name is a letter, then"
                        + " letters, digits, '-' or '_' (as @MqttTrigger(broker = …) names it)");
                continue;
            }
            ObjectNode node = fields.asObject(e.getValue(), at, "broker '" + e.getKey() + "'");
            BrokerEntry entry = node == null ? null : broker(e.getKey(), node, at);
            if (entry != null) {
                brokers.put(entry.name(), entry);
            }
        }
        return brokers;
    }

    private BrokerEntry broker(String name, ObjectNode node, String at) {
        problems.unknownKeys(node, at, KEYS);
        int before = problems.sorted().size();
        String uri = fields.text(node, at, "uri", true);
        if (uri != null && uriProblem(uri) != null) {
            problems.at(LocatedJson.child(at, "uri"), "uri '" + uri + "' of broker '" + name + "' " + uriProblem(uri));
        }
        String clientId = fields.text(node, at, "clientId", false);
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            problems.at(LocatedJson.child(at, "clientId"), "clientId '" + clientId + "' of broker '" + name
                    + "' must be 1 to 128 letters, digits, '.', '_' or '-'");
        }
        String username = fields.text(node, at, "username", false);
        String password = fields.text(node, at, "password", false);
        String auth = fields.text(node, at, "auth", false);
        String ca = fields.text(node, at, "ca", false);
        if (auth != null && (username != null || password != null)) {
            problems.at(LocatedJson.child(at, "auth"), "broker '" + name + "' has both 'auth' and 'username'/'password':"
                    + " give the credentials in one place");
        }
        if (password != null && username == null) {
            problems.at(LocatedJson.child(at, "password"), "broker '" + name + "' has a 'password' but no 'username'");
        }
        for (String key : List.of("auth", "ca")) {
            String file = "auth".equals(key) ? auth : ca;
            if (file != null && file.isBlank()) {
                problems.at(LocatedJson.child(at, key), "'" + key + "' of broker '" + name + "' is empty: name a file");
            }
        }
        if (ca != null && uri != null && !uri.startsWith("mqtts://")) {
            problems.at(LocatedJson.child(at, "ca"), "broker '" + name + "' has a 'ca' but its uri '" + uri
                    + "' is not mqtts://: a CA is for TLS connections");
        }
        if (uri == null || problems.sorted().size() != before) {
            return null;
        }
        return new BrokerEntry(name, uri, clientId, username, password, file(auth), file(ca));
    }

    private Path file(String name) {
        return name == null ? null : baseDirectory.resolve(name).normalize();
    }

    /** What is wrong with a broker's URI, or {@code null}: {@code mqtt://} or {@code mqtts://}, a host, a port, nothing more. */
    static String uriProblem(String uri) {
        if (!uri.startsWith("mqtt://") && !uri.startsWith("mqtts://")) {
            return "must start with mqtt:// or mqtts://";
        }
        try {
            URI parsed = new URI(uri);
            if (parsed.getHost() == null) {
                return "has no host";
            }
            if (parsed.getPort() < 1 || parsed.getPort() > 65535) {
                return "needs a port, e.g. mqtt://10.0.0.5:1883";
            }
            if ((parsed.getRawPath() != null && !parsed.getRawPath().isEmpty()) || parsed.getRawQuery() != null
                    || parsed.getRawUserInfo() != null || parsed.getRawFragment() != null) {
                return "must be only scheme, host and port (give credentials as 'username'/'password' or 'auth')";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a valid URI: " + e.getReason();
        }
    }
}
