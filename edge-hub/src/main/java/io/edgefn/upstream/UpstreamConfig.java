package io.edgefn.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how the upstream link connects: a broker's address and the credentials to log in,
 * parsed from the forms the {@code run} command accepts (see {@code docs/upstream.md}).
 *
 * <p>The target is either any MQTT broker ({@code mqtt://host:port}, {@code mqtts://host:port};
 * {@link Mode#BROKER}) or an Azure IoT Hub device connection string
 * ({@code HostName=…;DeviceId=…;SharedAccessKey=…}, which means MQTT over TLS to
 * {@code HostName:8883}; {@link Mode#IOT_HUB}). Either may be given inline or as {@code @FILE}.
 * Credentials come from an auth file ({@code @FILE}, readable by its owner only) or, when none is
 * given, from the content of the environment variable {@value #AUTH_ENV}: one {@code key=value}
 * per line ({@code username}, {@code password}, {@code certificate}, {@code privateKey},
 * {@code sharedAccessKey}, {@code ca}; {@code #} starts a comment line).
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows a secret.
 */
public final class UpstreamConfig {

    /** The environment variable whose content is read as the auth file when no {@code @FILE} is given. */
    public static final String AUTH_ENV = "EDGEFN_UPSTREAM_AUTH";

    /** The port of an IoT Hub's MQTT over TLS endpoint. */
    public static final int IOT_HUB_PORT = 8883;

    /** Largest file read for a connection string or credentials. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    /** What kind of broker the link talks to. */
    public enum Mode {
        /** Any MQTT 3.1.1 broker: one connection for the whole gateway, device-scoped topics. */
        BROKER,
        /** Azure IoT Hub: the gateway connects as its own device identity and may publish only on its own topics. */
        IOT_HUB
    }

    private final Mode mode;
    private final String host;
    private final int port;
    private final boolean tls;
    private final String deviceId;
    private final String username;
    private final String password;
    private final Path certificate;
    private final Path privateKey;
    private final String sharedAccessKey;
    private final Path ca;

    private UpstreamConfig(Mode mode, String host, int port, boolean tls, String deviceId, String username, String password,
                           Path certificate, Path privateKey, String sharedAccessKey, Path ca) {
        this.mode = mode;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.deviceId = deviceId;
        this.username = username;
        this.password = password;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.sharedAccessKey = sharedAccessKey;
        this.ca = ca;
    }

    /**
     * Parses the upstream target and its credentials.
     *
     * @param urlOrAtFile {@code mqtt://host:port}, {@code mqtts://host:port}, an IoT Hub device
     *                    connection string, or {@code @FILE} holding one of those (a file holding
     *                    a {@code SharedAccessKey} must be readable by its owner only)
     * @param authOrNull  {@code @FILE} naming an auth file (owner-only), or null to read the
     *                    content of {@value #AUTH_ENV} from {@code env} (no credentials if unset)
     * @param env         the environment (usually {@link System#getenv()})
     * @throws UpstreamConfigException naming the bad part
     */
    public static UpstreamConfig parse(String urlOrAtFile, String authOrNull, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        if (urlOrAtFile == null || urlOrAtFile.isBlank()) {
            throw new UpstreamConfigException("upstream: give mqtt://host:port, mqtts://host:port, an IoT Hub connection string, or @FILE");
        }
        String target = urlOrAtFile.strip();
        boolean targetFromFile = target.startsWith("@");
        if (targetFromFile) {
            Path file = Path.of(target.substring(1));
            target = readSmall(file, "upstream file", false).strip();
            if (target.contains("SharedAccessKey=")) {
                checkOwnerOnly(file, "upstream file");
            }
        }

        Map<String, String> auth;
        Path authBase;
        if (authOrNull != null) {
            if (!authOrNull.startsWith("@") || authOrNull.length() < 2) {
                throw new UpstreamConfigException("upstream auth must be @FILE (an owner-only key=value file), was '"
                        + (authOrNull.length() > 2 ? authOrNull.charAt(0) + "…" : authOrNull)
                        + "': secrets on a command line show in the process list; or set " + AUTH_ENV);
            }
            Path file = Path.of(authOrNull.substring(1)).toAbsolutePath();
            String text = readSmall(file, "upstream auth file", true);
            auth = parseAuth(text, "upstream auth file " + file);
            authBase = file.getParent();
        } else if (env.get(AUTH_ENV) != null && !env.get(AUTH_ENV).isBlank()) {
            auth = parseAuth(env.get(AUTH_ENV), "$" + AUTH_ENV);
            authBase = Path.of("").toAbsolutePath();
        } else {
            auth = Map.of();
            authBase = Path.of("").toAbsolutePath();
        }

        Path ca = path(auth, "ca", authBase);
        Path certificate = path(auth, "certificate", authBase);
        Path privateKey = path(auth, "privateKey", authBase);
        if ((certificate == null) != (privateKey == null)) {
            throw new UpstreamConfigException("upstream auth: certificate and privateKey go together; only "
                    + (certificate != null ? "certificate" : "privateKey") + " is given");
        }
        if (auth.containsKey("password") && !auth.containsKey("username")) {
            throw new UpstreamConfigException("upstream auth: password is given without username");
        }

        if (target.startsWith("mqtt://") || target.startsWith("mqtts://")) {
            return brokerConfig(target, auth, ca, certificate, privateKey);
        }
        if (target.contains("=")) {
            return iotHubConfig(target, auth, ca, certificate, privateKey);
        }
        throw new UpstreamConfigException("upstream '" + abbreviate(target) + "' is neither mqtt://host:port, mqtts://host:port"
                + " nor an IoT Hub connection string (HostName=…;DeviceId=…;SharedAccessKey=…)");
    }

    private static UpstreamConfig brokerConfig(String target, Map<String, String> auth, Path ca, Path certificate, Path privateKey) {
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw new UpstreamConfigException("upstream URL '" + abbreviate(target) + "' is malformed: " + e.getReason());
        }
        boolean tls = "mqtts".equals(uri.getScheme());
        if (uri.getUserInfo() != null) {
            throw new UpstreamConfigException("upstream URL must not carry user:password (it would show in the process list);"
                    + " put username= and password= in the auth file");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new UpstreamConfigException("upstream URL '" + target + "' has no host");
        }
        if ((uri.getPath() != null && !uri.getPath().isEmpty() && !"/".equals(uri.getPath())) || uri.getQuery() != null) {
            throw new UpstreamConfigException("upstream URL '" + target + "' must be just scheme://host:port, without a path or query");
        }
        int port = uri.getPort() < 0 ? (tls ? 8883 : 1883) : uri.getPort();
        if (auth.containsKey("sharedAccessKey")) {
            throw new UpstreamConfigException("upstream auth: sharedAccessKey is for an IoT Hub connection string, not for " + uri.getScheme() + "://");
        }
        if (!tls && (certificate != null || ca != null)) {
            throw new UpstreamConfigException("upstream auth: " + (certificate != null ? "certificate" : "ca")
                    + " needs mqtts://, but the URL is mqtt://");
        }
        return new UpstreamConfig(Mode.BROKER, uri.getHost(), port, tls, null, auth.get("username"), auth.get("password"),
                certificate, privateKey, null, ca);
    }

    private static UpstreamConfig iotHubConfig(String target, Map<String, String> auth, Path ca, Path certificate, Path privateKey) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : target.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new UpstreamConfigException("upstream connection string part '" + abbreviate(redactPart(part))
                        + "' is not Key=Value");
            }
            String key = part.substring(0, eq).strip();
            if (parts.put(key, part.substring(eq + 1).strip()) != null) {
                throw new UpstreamConfigException("upstream connection string gives " + key + " twice");
            }
        }
        for (String key : parts.keySet()) {
            if (!Set.of("HostName", "DeviceId", "SharedAccessKey", "x509", "GatewayHostName").contains(key)) {
                throw new UpstreamConfigException("upstream connection string has an unknown part '" + key
                        + "' (known: HostName, DeviceId, SharedAccessKey, x509)");
            }
        }
        if (parts.containsKey("GatewayHostName")) {
            throw new UpstreamConfigException("upstream connection string has GatewayHostName: that is for a device behind a gateway;"
                    + " the gateway itself connects to the hub directly");
        }
        String hub = parts.get("HostName");
        String deviceId = parts.get("DeviceId");
        if (hub == null || hub.isEmpty()) {
            throw new UpstreamConfigException("upstream connection string has no HostName");
        }
        if (deviceId == null || deviceId.isEmpty()) {
            throw new UpstreamConfigException("upstream connection string has no DeviceId");
        }
        if (hub.contains("/") || hub.contains(":")) {
            throw new UpstreamConfigException("upstream connection string HostName '" + hub + "' must be a host name only");
        }
        String key = parts.get("SharedAccessKey");
        if (key != null && auth.containsKey("sharedAccessKey")) {
            throw new UpstreamConfigException("upstream SharedAccessKey is given twice: in the connection string and in the auth");
        }
        if (key == null) {
            key = auth.get("sharedAccessKey");
        }
        if (auth.containsKey("username") || auth.containsKey("password")) {
            throw new UpstreamConfigException("upstream auth: username/password are not used with IoT Hub"
                    + " (the link signs a SAS token from sharedAccessKey, or uses certificate/privateKey)");
        }
        if (key != null && certificate != null) {
            throw new UpstreamConfigException("upstream auth: give either a shared access key or certificate/privateKey, not both");
        }
        if (key == null && certificate == null) {
            throw new UpstreamConfigException("upstream IoT Hub device '" + deviceId
                    + "' has no credentials: give SharedAccessKey (connection string or sharedAccessKey=) or certificate=/privateKey=");
        }
        if (key != null) {
            try {
                if (Base64.getDecoder().decode(key).length == 0) {
                    throw new IllegalArgumentException("empty");
                }
            } catch (IllegalArgumentException e) {
                throw new UpstreamConfigException("upstream SharedAccessKey is not Base64");
            }
        }
        return new UpstreamConfig(Mode.IOT_HUB, hub, IOT_HUB_PORT, true, deviceId, null, null, certificate, privateKey, key, ca);
    }

    /** Parses {@code key=value} lines; {@code origin} names the source in messages. */
    static Map<String, String> parseAuth(String text, String origin) {
        Set<String> known = Set.of("username", "password", "certificate", "privateKey", "sharedAccessKey", "ca");
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new UpstreamConfigException(origin + " line " + (i + 1) + ": expected key=value");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!known.contains(key)) {
                throw new UpstreamConfigException(origin + " line " + (i + 1) + ": unknown key '" + abbreviate(key)
                        + "' (known: username, password, certificate, privateKey, sharedAccessKey, ca)");
            }
            if (value.isEmpty()) {
                throw new UpstreamConfigException(origin + " line " + (i + 1) + ": " + key + " has no value");
            }
            if (out.put(key, value) != null) {
                throw new UpstreamConfigException(origin + " line " + (i + 1) + ": " + key + " is given twice");
            }
        }
        return out;
    }

    private static Path path(Map<String, String> auth, String key, Path base) {
        String v = auth.get(key);
        if (v == null) {
            return null;
        }
        Path p = base.resolve(v).normalize();
        if (!Files.isRegularFile(p)) {
            throw new UpstreamConfigException("upstream auth: " + key + " file " + p + " does not exist or is not a file");
        }
        if ("privateKey".equals(key)) {
            checkOwnerOnly(p, "upstream private key");
        }
        return p;
    }

    private static String readSmall(Path file, String what, boolean ownerOnly) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new UpstreamConfigException(what + " " + file + " does not exist or is not a regular file");
            }
            if (ownerOnly) {
                checkOwnerOnly(file, what);
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UpstreamConfigException(what + " " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UpstreamConfigException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new UpstreamConfigException(what + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** Refuses a file that its group or others may read or write: it holds a secret. */
    static void checkOwnerOnly(Path file, String what) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check against
        } catch (IOException e) {
            throw new UpstreamConfigException(what + " " + file + " cannot be read: " + e.getMessage());
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(perms);
        open.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
        if (!open.isEmpty()) {
            throw new UpstreamConfigException(what + " " + file + " holds a secret but is accessible to its group or others (mode "
                    + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
        }
    }

    private static String redactPart(String part) {
        return part.startsWith("SharedAccessKey") ? "SharedAccessKey…" : part;
    }

    private static String abbreviate(String s) {
        return s.length() <= 48 ? s : s.substring(0, 45) + "…";
    }

    /** Which kind of broker this is. */
    public Mode mode() {
        return mode;
    }

    /** The broker's host name (the IoT Hub host name in {@link Mode#IOT_HUB}). */
    public String host() {
        return host;
    }

    /** The broker's port. */
    public int port() {
        return port;
    }

    /** Whether the connection uses TLS ({@code mqtts://}, always for IoT Hub). */
    public boolean tls() {
        return tls;
    }

    /** The address in Paho's form: {@code tcp://host:port} or {@code ssl://host:port}. */
    public String serverUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "ssl://" : "tcp://") + h + ":" + port;
    }

    /** The device id of an IoT Hub connection string, or null in {@link Mode#BROKER}. */
    public String deviceId() {
        return deviceId;
    }

    /** The MQTT username, or null. */
    public String username() {
        return username;
    }

    /** The MQTT password, or null. A secret: never log it. */
    public String password() {
        return password;
    }

    /** The client certificate chain (PEM), or null. */
    public Path certificate() {
        return certificate;
    }

    /** The client certificate's private key (PEM, owner-only), or null. */
    public Path privateKey() {
        return privateKey;
    }

    /** The IoT Hub device key (Base64), or null. A secret: never log it. */
    public String sharedAccessKey() {
        return sharedAccessKey;
    }

    /** The CA certificates (PEM) to trust for TLS, or null for the JDK's default trust. */
    public Path ca() {
        return ca;
    }

    /**
     * The TLS socket factory for this broker ({@code ca=} trust, {@code certificate=}/{@code
     * privateKey=} client certificate), or null when the JDK's defaults do; for other connections
     * to the same broker with the same credentials (the fleet's).
     *
     * @throws UpstreamConfigException when a PEM file cannot be read
     */
    public javax.net.ssl.SSLSocketFactory socketFactory() {
        return tls ? TlsSockets.socketFactory(this) : null;
    }

    /** How the link authenticates, for logs and status: {@code sas}, {@code x509}, {@code password} or {@code anonymous}. */
    public String authMethod() {
        if (sharedAccessKey != null) {
            return "sas";
        }
        if (certificate != null) {
            return "x509";
        }
        return username != null ? "password" : "anonymous";
    }

    /** The mode, the address, the device and the kind of auth; never a secret. */
    @Override
    public String toString() {
        return "UpstreamConfig[mode=" + mode + ", server=" + serverUri()
                + (deviceId != null ? ", deviceId=" + deviceId : "")
                + (username != null ? ", username=" + username : "")
                + ", auth=" + authMethod() + (ca != null ? ", ca=" + ca : "") + "]";
    }
}
