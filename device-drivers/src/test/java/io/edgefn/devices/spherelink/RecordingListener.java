package io.edgefn.devices.spherelink;

import io.edgefn.api.Message;
import io.edgefn.devices.DeviceListener;
import io.edgefn.devices.LinkState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records what a driver reports, and checks that no two calls overlap. Thread-safe. Shared with
 * device-sim's tests through this module's test-jar.
 */
public final class RecordingListener implements DeviceListener {
    /**
     * One {@link #onStateChange} call.
     *
     * @param deviceId the device
     * @param state    its new link state
     * @param reason   why
     */
    public record StateChange(String deviceId, LinkState state, String reason) {
    }

    /** Every message, in order. */
    public final List<Message> messages = new CopyOnWriteArrayList<>();
    /** Every state change, in order. */
    public final List<StateChange> states = new CopyOnWriteArrayList<>();
    /** Set when a call began while another was running. */
    public final AtomicBoolean overlapped = new AtomicBoolean();
    private final AtomicBoolean inCall = new AtomicBoolean();
    /** When set, every event message is refused with an exception. */
    public volatile boolean refuseEvents;

    /** A listener that has recorded nothing yet. */
    public RecordingListener() {
    }

    @Override
    public void onMessage(Message message) {
        enter();
        try {
            if (refuseEvents && "event".equals(message.property("frameType"))) {
                throw new IllegalStateException("event queue full");
            }
            messages.add(message);
        } finally {
            inCall.set(false);
        }
    }

    @Override
    public void onStateChange(String deviceId, LinkState state, String reason) {
        enter();
        try {
            states.add(new StateChange(deviceId, state, reason));
        } finally {
            inCall.set(false);
        }
    }

    private void enter() {
        if (!inCall.compareAndSet(false, true)) {
            overlapped.set(true);
        }
    }

    /** The messages whose {@code frameType} property is {@code frameType}, in order. */
    public List<Message> ofFrameType(String frameType) {
        return messages.stream().filter(m -> frameType.equals(m.property("frameType"))).toList();
    }

    /** The states reported, in order. */
    public List<LinkState> stateSequence() {
        return states.stream().map(StateChange::state).toList();
    }
}
