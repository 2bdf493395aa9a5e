package io.edgefn.examples.load;

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;

/**
 * The smallest useful function, for measuring what the host adds to a call: each message routed
 * to its input {@code in} is copied to its output {@code out}. {@code edgefn bench invoke} sets its
 * throughput through a host against a direct Java call of {@link #pass} on the same bodies.
 *
 * <p>Stateless, so any number of invocations may run at once.
 */
@EdgeFunction(value = "pass-through", retries = 0)
public class PassThrough {

    /** A copy of {@code body}, sent to {@code out}. */
    @RouteTrigger(input = "in")
    @SendTo("out")
    public byte[] pass(byte[] body) {
        return body.clone();
    }
}
