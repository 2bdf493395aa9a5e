package io.edgefn.benchmarks.loop;

import io.edgefn.api.CommandResult;
import io.edgefn.api.Message;
import io.edgefn.devices.sim.PumpSimulator;
import io.edgefn.runtime.HostListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Watches the loop from both ends for the trial in progress: the simulator's command hook (when
 * the shutdown COMMAND frame was read) and the host's listener (when the anomalous reading was
 * routed, when the shutdown was sent, and when the MCU's ACK of it was decoded at the gateway —
 * {@link #commandCompleted}, called on the link's reader thread as the ACK completes the command). A shutdown read while no trial is armed is counted as
 * spurious.
 *
 * <p>Thread-safe: the hooks run on the simulator's reader thread and the host's device-reader and
 * invoker threads, and {@link #arm()} on the MCU timer thread. The hooks sit on the measured path,
 * so they do almost nothing unless a trial is armed and still waiting.
 */
final class TrialWatch implements HostListener {

    private final LongSupplier ticker;
    private final byte[] anomalousMarker;
    private final AtomicReference<Trial> armed = new AtomicReference<>();
    private final AtomicLong spuriousShutdowns = new AtomicLong();
    /** The seq of the last trial's COMMAND; only the simulator's reader thread touches it. */
    private int lastTrialSeq = -1;

    /**
     * A watch reading {@code ticker} (the simulator's) that recognises the anomalous reading by its
     * pressure, {@code anomalousPressure}, as the simulator writes it in the TELEMETRY payload.
     */
    TrialWatch(LongSupplier ticker, double anomalousPressure) {
        this.ticker = ticker;
        this.anomalousMarker = ("\"pressure\":" + anomalousPressure).getBytes(StandardCharsets.UTF_8);
    }

    /** Starts a trial, just before the anomalous reading is written: the next shutdown COMMAND read belongs to it. */
    Trial arm() {
        Trial trial = new Trial();
        armed.set(trial);
        return trial;
    }

    /** Ends {@code trial}: later shutdowns no longer belong to it. */
    void disarm(Trial trial) {
        armed.compareAndSet(trial, null);
    }

    /** Shutdown COMMANDs read while no trial waited for one. */
    long spuriousShutdowns() {
        return spuriousShutdowns.get();
    }

    /**
     * The simulator's command hook: the first shutdown read while a trial is armed completes it;
     * a resend of that COMMAND (same seq) is ignored; any other shutdown is spurious.
     */
    void onCommandRead(PumpSimulator.CommandRead read) {
        if (!"shutdown".equals(read.name())) {
            return;
        }
        Trial trial = armed.get();
        if (trial != null && trial.commandRead().complete(read.nanoTime())) {
            lastTrialSeq = read.seq();
        } else if (trial == null && read.seq() != lastTrialSeq) {
            spuriousShutdowns.incrementAndGet();
        }
    }

    @Override
    public void messageRouted(Message message, int deliveries) {
        Trial trial = armed.get();
        if (trial != null && trial.routedAt() == Long.MIN_VALUE && "telemetry".equals(message.property("frameType"))
                && contains(message.body(), anomalousMarker)) {
            trial.routed(ticker.getAsLong());
        }
    }

    @Override
    public void commandSent(String deviceId, String name, Object args) {
        Trial trial = armed.get();
        if (trial != null && "shutdown".equals(name)) {
            trial.commandSent(ticker.getAsLong());
        }
    }

    /** The end of the loop: the gateway decoded the MCU's answer to the shutdown COMMAND (or gave it up). */
    @Override
    public void commandCompleted(String deviceId, String name, CommandResult result, Throwable failure) {
        long now = ticker.getAsLong();
        Trial trial = armed.get();
        if (trial == null || !"shutdown".equals(name)) {
            return;
        }
        if (failure == null) {
            trial.acknowledged(now, result != null && result.ok());
        } else {
            trial.ackAtGateway().completeExceptionally(failure);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
