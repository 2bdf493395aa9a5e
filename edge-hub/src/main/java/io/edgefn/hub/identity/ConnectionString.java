package io.edgefn.hub.identity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IoT Hub device connection strings: the ones the gateway hands out for its identities, and the
 * parsing of any ({@code Name=value;Name=value}, e.g. for {@code --upstream @FILE}).
 *
 * <p>Shapes handed out ({@code {hub}} is {@link GatewayIdentity#hubHostName()}, {@code {gateway}}
 * is {@link GatewayIdentity#hostname()}):
 * <ul>
 *   <li>device: {@code HostName={hub};DeviceId={id};SharedAccessKey={primary};GatewayHostName={gateway}}
 *   <li>module: {@code HostName={hub};DeviceId={gatewayId};ModuleId={id};SharedAccessKey={primary};GatewayHostName={gateway}}
 *   <li>X.509: {@code HostName={hub};DeviceId={id}[;ModuleId={id}];x509=true;GatewayHostName={gateway}}
 * </ul>
 *
 * <p>Stateless; thread-safe. A connection string holds a key: never log one.
 */
public final class ConnectionString {
    private ConnectionString() {
    }

    /** The connection string a device or module uses to connect to the gateway as {@code id}. */
    public static String forIdentity(GatewayIdentity gateway, Identity id) {
        StringBuilder s = new StringBuilder("HostName=").append(gateway.hubHostName())
                .append(";DeviceId=").append(id.deviceId());
        if (id.isModule()) {
            s.append(";ModuleId=").append(id.moduleId());
        }
        if (id.isX509()) {
            s.append(";x509=true");
        } else {
            s.append(";SharedAccessKey=").append(id.primaryKey());
        }
        return s.append(";GatewayHostName=").append(gateway.hostname()).toString();
    }

    /**
     * The fields of a connection string, in order: {@code Name=value} pairs separated by {@code ;}
     * (a value may hold {@code =}, as Base64 keys do; empty segments and surrounding spaces are
     * ignored).
     *
     * @throws IdentityException if it is empty, a segment has no name or no {@code =}, a name
     *     appears twice, or it has no {@code HostName}; the message names the segment by its name or
     *     position, never quoting a value
     */
    public static Map<String, String> parse(String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            throw new IdentityException("connection string is empty");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String[] segments = connectionString.strip().split(";");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i].strip();
            if (segment.isEmpty()) {
                continue;
            }
            int eq = segment.indexOf('=');
            if (eq < 0) {
                throw new IdentityException("malformed connection string: segment " + (i + 1) + " has no '=' (expected Name=value)");
            }
            String name = segment.substring(0, eq).strip();
            if (name.isEmpty()) {
                throw new IdentityException("malformed connection string: segment " + (i + 1) + " has no name before '='");
            }
            if (fields.put(name, segment.substring(eq + 1).strip()) != null) {
                throw new IdentityException("malformed connection string: " + name + " appears twice");
            }
        }
        if (!fields.containsKey("HostName") || fields.get("HostName").isEmpty()) {
            throw new IdentityException("malformed connection string: no HostName (expected HostName=...;DeviceId=...;...)");
        }
        return Collections.unmodifiableMap(fields);
    }
}
