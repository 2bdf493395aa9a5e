package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A sink for tests: records what it was given, and can be told to refuse or to say it is congested. */
final class RecordingSink implements MessageSink {

    /** One delivery as the sink saw it. */
    record Delivery(Message message, int priority, long timeToLiveSecs, Patience patience) {
    }

    private final String address;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Runnable> reliefActions = new ArrayList<>();
    private boolean refuse;
    private boolean congested;

    RecordingSink(String address) {
        this.address = address;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public synchronized CompletableFuture<Void> accept(Message message, int priority, long timeToLiveSecs, Patience patience) {
        deliveries.add(new Delivery(message, priority, timeToLiveSecs, patience));
        return refuse
                ? CompletableFuture.failedFuture(new IllegalStateException(address + " refused"))
                : CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized boolean congested() {
        return congested;
    }

    @Override
    public void whenRelieved(Runnable action) {
        synchronized (this) {
            if (congested) {
                reliefActions.add(action);
                return;
            }
        }
        action.run();
    }

    synchronized RecordingSink refusing() {
        refuse = true;
        return this;
    }

    /** Marks the sink congested, or relieves it and runs the waiting relief actions. */
    void congested(boolean now) {
        List<Runnable> due = List.of();
        synchronized (this) {
            congested = now;
            if (!now) {
                due = new ArrayList<>(reliefActions);
                reliefActions.clear();
            }
        }
        due.forEach(Runnable::run);
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    synchronized List<Message> messages() {
        return deliveries.stream().map(Delivery::message).toList();
    }
}
