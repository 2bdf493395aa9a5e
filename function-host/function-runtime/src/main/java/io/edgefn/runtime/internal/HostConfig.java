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
 */
public record HostConfig(Deployment deployment, Path dataDirectory, String gatewayId, InstantSource clock,
                         HostListener listener, TransportFactory transports, RestartPolicy restartPolicy,
                         int queueCapacity, Duration queueWait, Duration outputWait, Duration drainTimeout,
                         Duration startTimeout, int httpPort, Set<String> tracedRoutes, HostExecutors executors) {
}
