package io.edgefn.runtime.internal;

import io.edgefn.deploy.Deployment;
import io.edgefn.devices.TransportFactory;
import io.edgefn.runtime.HostExecutors;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;

/**
 * What {@link io.edgefn.runtime.EdgeHost.Builder} was given, checked there, as the parts of a
 * running host read it. Immutable.
 *
 * @param startTimeout how long a function's constructor may run before the function is FAILED
 * @param executors the host's threads, or {@code null} for {@link HostExecutors#create()}
 * @param vertx the Vert.x instance the management API shares with the edge hub, or {@code null} for one of its own
 * @param statusSections more sections of {@code GET /status}, by name (the edge hub's, the upstream link's)
 * @param reportedListener told of every function's reported-properties patch, or {@code null}
 * @param functionHttpHost the address of the functions' own HTTP listener (token required), or
 *     {@code null} for none: their paths are then on the management API's loopback port only
 * @param functionHttpPort that listener's port (0: any free one)
 * @param localBroker the gateway's own MQTT hub, or {@code null} when the host runs without one
 * @param httpBind the address the management API listens on ({@code 127.0.0.1} by default)
 * @param httpTlsKey the PEM private key the management API serves TLS with, or {@code null} for plain HTTP
 * @param httpTlsCertChain the PEM certificate chain going with {@link #httpTlsKey}, or {@code null}
 * @param meterBinders more meters for {@code GET /metrics} (the edge hub's, the upstream link's)
 */
public record HostConfig(Deployment deployment, Path dataDirectory, String gatewayId, InstantSource clock,
                         HostListener listener, TransportFactory transports, RestartPolicy restartPolicy,
                         int queueCapacity, Duration queueWait, Duration outputWait, Duration drainTimeout,
                         Duration startTimeout, int httpPort, Set<String> tracedRoutes, HostExecutors executors,
                         io.vertx.core.Vertx vertx, java.util.Map<String, java.util.function.Supplier<Object>> statusSections,
                         java.util.function.BiConsumer<String, com.fasterxml.jackson.databind.JsonNode> reportedListener,
                         String functionHttpHost, int functionHttpPort, io.edgefn.runtime.LocalBroker localBroker,
                         String httpBind, Path httpTlsKey, Path httpTlsCertChain,
                         java.util.List<io.micrometer.core.instrument.binder.MeterBinder> meterBinders) {
}
