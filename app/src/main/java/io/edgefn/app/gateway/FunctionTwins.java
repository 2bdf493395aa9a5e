package io.edgefn.app.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.hub.twin.DeviceManagement;
import io.edgefn.hub.twin.ManagedTarget;
import io.edgefn.hub.twin.MethodResponse;
import io.edgefn.hub.twin.TwinDocument;
import io.edgefn.hub.twin.TwinId;
import io.edgefn.runtime.EdgeHost;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's functions as device management sees them: each function is the module
 * {@code {gatewayId}/{function}} — its twin kept in the gateway's twin store and synced upstream,
 * its direct methods callable from the cloud — and the gateway's own twin reports the host's
 * health, as IoT Edge's {@code $edgeAgent} reports its modules'.
 *
 * <ul>
 *   <li><b>Methods</b>: a call for {@code {gatewayId}/{function}} runs the function's
 *       {@code @DirectMethodTrigger} through {@link EdgeHost#invokeMethod}; device management
 *       applies the caller's timeout (504).</li>
 *   <li><b>Desired properties</b>: a patch from the cloud reaches the function's settings live
 *       ({@link EdgeHost#applyDesired}); at start the twin store's desired properties, which
 *       outlive a restart, are applied again.</li>
 *   <li><b>Reported properties</b> a function patches go into its twin (and upstream with it);
 *       what functions reported before device management existed is copied in at attach time.</li>
 *   <li><b>Health</b>: every {@link #HEALTH_INTERVAL} the host's {@link EdgeHost#healthReport()}
 *       is written to the gateway's reported properties when it changed.</li>
 *   <li><b>Deployment</b>: {@code deployment: {version, state}} of the host's current deployment
 *       ({@link EdgeHost#deployments()}) in the gateway's reported properties at start and within
 *       {@link #DEPLOYMENT_INTERVAL} of each change (applied, gating, rolled back), compared on a
 *       volatile read so that the check costs nothing between changes.</li>
 * </ul>
 *
 * <p>Thread-safe; {@link #close()} unregisters everything and stops the health reports.
 */
final class FunctionTwins implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionTwins.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the gateway's health is compared with what its twin last reported. */
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(10);
    /** How often the current deployment is compared with what the twin last reported. */
    static final Duration DEPLOYMENT_INTERVAL = Duration.ofSeconds(1);
    /** The longest a function's method may run: IoT Hub's largest caller timeout. */
    private static final Duration METHOD_LIMIT = Duration.ofSeconds(300);

    private final List<AutoCloseable> registrations = new ArrayList<>();
    private final EdgeHost host;
    private final DeviceManagement management;
    private final String gatewayId;
    private volatile byte[] lastHealth;
    private volatile byte[] lastDeployment;

    private FunctionTwins(EdgeHost host, DeviceManagement management, String gatewayId) {
        this.host = host;
        this.management = management;
        this.gatewayId = gatewayId;
    }

    /**
     * Registers every function of {@code host} with {@code management}, replays their stored
     * desired properties, copies their reported ones in, and starts the health reports on
     * {@code scheduler}.
     */
    static FunctionTwins attach(EdgeHost host, DeviceManagement management, String gatewayId, ScheduledExecutorService scheduler) {
        FunctionTwins twins = new FunctionTwins(host, management, gatewayId);
        for (String function : host.functionNames()) {
            TwinId id = TwinId.module(gatewayId, function);
            twins.registrations.add(management.register(id, twins.target(function)));
            TwinDocument stored = management.twin(id);
            if (stored.desiredVersion() > 0) {
                host.applyDesired(function, stored.desired(), stored.desiredVersion());
            }
            JsonNode reported = host.reportedProperties(function);
            if (reported instanceof ObjectNode r && r.size() > (r.has("$version") ? 1 : 0)) {
                ObjectNode copy = r.deepCopy();
                copy.remove("$version");
                twins.reported(function, copy);
            }
        }
        scheduler.scheduleWithFixedDelay(twins::reportHealth, 0, HEALTH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(twins::reportDeployment, 0, DEPLOYMENT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return twins;
    }

    private ManagedTarget target(String function) {
        return new ManagedTarget() {
            @Override
            public CompletionStage<MethodResponse> invokeMethod(String name, byte[] payload) {
                return host.invokeMethod(function, name, payload == null || payload.length == 0 ? "null".getBytes() : payload,
                        METHOD_LIMIT).thenApply(r -> new MethodResponse(r.status(), r.payload()));
            }

            @Override
            public void desiredPropertiesChanged(TwinDocument twin, byte[] patch, long version) {
                try {
                    host.applyDesired(function, JSON.readTree(patch), version);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("function {}: the desired patch of version {} was not applied: {}", function, version, e.getMessage());
                }
            }
        };
    }

    /** Writes {@code patch}, which function {@code function} reported, into its twin. */
    void reported(String function, JsonNode patch) {
        try {
            management.patchReported(TwinId.module(gatewayId, function), JSON.writeValueAsBytes(patch))
                    .whenComplete((twin, failure) -> {
                        if (failure != null) {
                            LOG.warn("function {}: its reported properties were not stored: {}", function, failure.getMessage());
                        }
                    });
        } catch (IOException e) {
            LOG.warn("function {}: its reported patch is not JSON: {}", function, e.getMessage());
        }
    }

    /** Reports the host's health in the gateway's twin when it changed since the last report. */
    void reportHealth() {
        try {
            byte[] health = JSON.writeValueAsBytes(host.healthReport());
            if (lastHealth != null && Arrays.equals(lastHealth, health)) {
                return;
            }
            lastHealth = health;
            management.patchReported(TwinId.device(gatewayId), health).whenComplete((twin, failure) -> {
                if (failure != null) {
                    LOG.warn("the gateway's health was not reported: {}", failure.getMessage());
                    lastHealth = null;
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("the gateway's health could not be read: {}", e.getMessage());
        }
    }

    /**
     * Reports {@code deployment: {version, state}} in the gateway's twin when it changed since the
     * last report (a failed report is retried on the next run).
     */
    void reportDeployment() {
        try {
            io.edgefn.runtime.Deployments deployments = host.deployments();
            if (deployments == null) {
                return;
            }
            io.edgefn.runtime.DeploymentRecord current = deployments.current();
            ObjectNode patch = JSON.createObjectNode();
            ObjectNode deployment = patch.putObject("deployment");
            if (current.version() == null) {
                deployment.putNull("version");
            } else {
                deployment.put("version", current.version());
            }
            deployment.put("state", current.state().name());
            byte[] bytes = JSON.writeValueAsBytes(patch);
            if (lastDeployment != null && Arrays.equals(lastDeployment, bytes)) {
                return;
            }
            lastDeployment = bytes;
            management.patchReported(TwinId.device(gatewayId), bytes).whenComplete((twin, failure) -> {
                if (failure != null) {
                    LOG.warn("the gateway's deployment was not reported: {}", failure.getMessage());
                    lastDeployment = null;
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("the gateway's deployment could not be read: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        for (AutoCloseable r : registrations) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("unregistering a function: {}", e.toString());
            }
        }
    }
}
