package io.edgefn.devices.spherelink;

import io.edgefn.api.Message;
import io.edgefn.devices.DeviceListener;
import io.edgefn.devices.LinkState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Records what a driver reports, and checks that no two calls overlap. Thread-safe. */
final class RecordingListener implements DeviceListener {
    record StateChange(String deviceId, LinkState state, String reason) {
    }

    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<StateChange> states = new CopyOnWriteArrayList<>();
    final AtomicBoolean overlapped = new AtomicBoolean();
    private final AtomicBoolean inCall = new AtomicBoolean();
    /** When set, every event message is refused with an exception. */
    volatile boolean refuseEvents;

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

    List<Message> ofFrameType(String frameType) {
        return messages.stream().filter(m -> frameType.equals(m.property("frameType"))).toList();
    }

    List<LinkState> stateSequence() {
        return states.stream().map(StateChange::state).toList();
    }
}
