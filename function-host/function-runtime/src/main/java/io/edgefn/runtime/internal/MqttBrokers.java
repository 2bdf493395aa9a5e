package io.edgefn.runtime.internal;

import io.edgefn.api.MqttPublisher;
import io.edgefn.bindings.BindingException;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.PayloadPublisher;
import io.edgefn.deploy.BrokerEntry;
import io.edgefn.deploy.Deployment;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.ParameterDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.runtime.HostException;
import io.edgefn.runtime.LocalBroker;
import io.edgefn.triggers.mqtt.BrokerConnection;
import io.edgefn.triggers.mqtt.MqttDelivery;
import io.edgefn.triggers.mqtt.TlsTrust;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT brokers of a host: one {@link BrokerConnection} per external broker its functions use,
 * shared by all of them, and the gateway's own hub ({@link LocalBroker}, the broker {@code ""}).
 *
 * <p>{@link #open} checks up front what the functions need — a hub when a function uses it, a
 * readable auth file and CA for each external broker — and refuses the deployment with every
 * problem. Subscriptions are registered while functions are wired ({@link #subscribe}), the
 * connections start after the functions ({@link #start}) and close before they stop
 * ({@link #close}), so that nothing is acknowledged that no function will run.
 *
 * <p>Owned by the host's starting thread until {@link #start()}; then {@link #publisher}'s
 * publishers and the connections are thread-safe; {@link #close()} once, from the stopping thread.
 */
final class MqttBrokers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBrokers.class);

    private final Map<String, BrokerConnection> connections = new LinkedHashMap<>();
    private final LocalBroker local;
    private final BodyCodec codec;
    private final List<LocalBroker.Subscription> localSubscriptions = new ArrayList<>();

    private MqttBrokers(LocalBroker local, BodyCodec codec) {
        this.local = local;
        this.codec = codec;
    }

    /**
     * The brokers {@code functions} use, not yet connected.
     *
     * @throws HostException listing every problem: the hub needed but absent, a broker's auth file
     *                       or CA unreadable
     */
    static MqttBrokers open(Deployment deployment, Collection<FunctionDescriptor> functions, LocalBroker local,
                            String gatewayId, ScheduledExecutorService scheduler, InstantSource clock, BodyCodec codec) {
        MqttBrokers brokers = new MqttBrokers(local, codec);
        List<String> problems = new ArrayList<>();
        Set<String> used = new java.util.TreeSet<>();
        for (FunctionDescriptor f : functions) {
            for (MethodDescriptor m : f.methods()) {
                List<String> named = new ArrayList<>();
                if (m.trigger() instanceof TriggerDescriptor.Mqtt mqtt) {
                    named.add(mqtt.broker());
                }
                m.parameters().forEach(p -> {
                    if (p instanceof ParameterDescriptor.MqttPublisher pub) {
                        named.add(pub.broker());
                    }
                });
                if (named.contains("") && local == null) {
                    problems.add("function '" + f.name() + "', method " + m.name() + ", uses the gateway's own MQTT hub"
                            + " (an @MqttTrigger or MqttPublisher without a broker), but this host runs without one:"
                            + " run it in the gateway (edgefn run), or name a broker declared under 'brokers'");
                }
                used.addAll(named);
            }
        }
        used.remove("");
        for (String name : used) {
            BrokerEntry entry = deployment.brokers().get(name);
            if (entry == null) {
                continue; // the deployment's own check has refused it already
            }
            try {
                BrokerConnection.Settings settings = settings(entry, gatewayId);
                brokers.connections.put(name, new BrokerConnection(settings, scheduler, clock, RandomGenerator.getDefault(),
                        new BrokerConnection.Listener() {
                            @Override
                            public void connected(String broker, String uri) {
                                LOG.info("MQTT broker {}: connected to {} and subscribed", broker, uri);
                            }

                            @Override
                            public void disconnected(String broker, String problem, Duration retryIn) {
                                LOG.warn("MQTT broker {}: {}; next try in {} ms", broker, problem, retryIn.toMillis());
                            }
                        }));
            } catch (IllegalArgumentException e) {
                problems.add("brokers." + name + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new HostException("deployment " + deployment.origin() + " cannot be loaded", problems);
        }
        return brokers;
    }

    /** A connection's settings: the client id (default {@code <gatewayId>-<name>}), credentials, TLS trust. */
    private static BrokerConnection.Settings settings(BrokerEntry entry, String gatewayId) {
        String username = entry.username();
        char[] password = entry.password() == null ? null : entry.password().toCharArray();
        if (entry.auth() != null) {
            Map<String, String> auth = authFile(entry.auth());
            username = auth.get("username");
            password = auth.containsKey("password") ? auth.get("password").toCharArray() : null;
        }
        SSLSocketFactory sockets = entry.ca() == null ? null : TlsTrust.trusting(entry.ca());
        String clientId = entry.clientId() != null ? entry.clientId() : gatewayId + "-" + entry.name();
        return new BrokerConnection.Settings(entry.name(), entry.uri(), clientId, username, password, sockets);
    }

    /** The {@code key=value} lines of an owner-only auth file ({@code #} comments). */
    private static Map<String, String> authFile(Path file) {
        try {
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                    throw new IllegalArgumentException("auth file " + file + " is readable by others ("
                            + java.nio.file.attribute.PosixFilePermissions.toString(permissions)
                            + "): make it owner-only (chmod 600)");
                }
            } catch (UnsupportedOperationException e) {
                // No POSIX permissions on this file system: nothing to check.
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                String key = eq < 0 ? l : l.substring(0, eq).strip();
                if (eq < 0 || !(key.equals("username") || key.equals("password"))) {
                    throw new IllegalArgumentException("auth file " + file + " has a line that is not username=… or"
                            + " password=…: '" + (eq < 0 ? l : key + "=…") + "'");
                }
                values.put(key, l.substring(eq + 1).strip());
            }
            return values;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read auth file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Subscribes {@code consumer} to {@code filters} at {@code qos} on {@code broker} ({@code ""} for
     * the hub); before {@link #start()}.
     */
    void subscribe(String broker, List<String> filters, int qos, Consumer<MqttDelivery> consumer) {
        if (broker.isEmpty()) {
            for (String filter : filters) {
                // The hub has taken the message already: there is nothing to acknowledge to it.
                localSubscriptions.add(local.subscribe(filter, qos,
                        (topic, payload) -> consumer.accept(new MqttDelivery(topic, payload, qos, false, () -> { }))));
            }
        } else {
            connection(broker).subscribe(filters, qos, consumer);
        }
    }

    /** The publisher of {@code broker} ({@code ""} for the hub). */
    MqttPublisher publisher(String broker) {
        if (broker.isEmpty()) {
            if (local == null) {
                throw new BindingException("this host has no MQTT hub to publish to");
            }
            return new PayloadPublisher(codec, local::publish);
        }
        BrokerConnection connection = connection(broker);
        return new PayloadPublisher(codec, connection::publish);
    }

    private BrokerConnection connection(String broker) {
        BrokerConnection connection = connections.get(broker);
        if (connection == null) {
            throw new BindingException("MQTT broker '" + broker + "' is not declared under the deployment's 'brokers'");
        }
        return connection;
    }

    /** Connects to every external broker, in the background. */
    void start() {
        connections.values().forEach(BrokerConnection::start);
    }

    /** Whether the functions use any external broker. */
    boolean hasExternalBrokers() {
        return !connections.isEmpty();
    }

    /** Each external broker's state, for {@code /status}. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        connections.forEach((name, c) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("connected", c.isConnected());
            s.put("connects", c.connects());
            s.put("received", c.received());
            s.put("lastProblem", c.lastProblem());
            status.put(name, s);
        });
        return status;
    }

    /** Stops the hub's deliveries and disconnects from every external broker. */
    @Override
    public void close() {
        localSubscriptions.forEach(LocalBroker.Subscription::cancel);
        connections.values().forEach(BrokerConnection::close);
    }
}
