package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.buffer.BufferOptions;
import io.edgefn.deploy.StoreAndForward;
import org.junit.jupiter.api.Test;

/**
 * The deployment's smallest {@code storeAndForward.maxBytes} is exactly what the offline buffer
 * the host opens (its default segment size) accepts: the document is checked where the user can
 * read the message, so the buffer must never refuse a value the document let through.
 */
class StoreAndForwardLimitsTest {

    @Test
    void bufferOptions_smallestMaxBytesADeploymentAllows_isAccepted_andOneLessIsNot() {
        assertThatCode(() -> BufferOptions.builder().maxBytes(StoreAndForward.MIN_MAX_BYTES).build())
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> BufferOptions.builder().maxBytes(StoreAndForward.MIN_MAX_BYTES - 1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
