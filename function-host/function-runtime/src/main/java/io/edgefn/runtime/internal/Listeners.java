package io.edgefn.runtime.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls into listeners so that one that throws is logged and cannot disturb the host. */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    static void safely(Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            LOG.warn("a host listener threw; ignored", t);
        }
    }
}
