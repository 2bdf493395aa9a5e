package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CpuPriorityTest {

    /** Fields 19 (nice) and 41 (policy) of {@code /proc/thread-self/stat}, read on the calling thread. */
    private static int[] niceAndPolicy() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After "pid (comm) ", field 3 (state) is at index 0: field n is at index n - 3.
        return new int[] {Integer.parseInt(fields[19 - 3]), Integer.parseInt(fields[41 - 3])};
    }

    private static int[] onNewThread(Runnable adjust) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                adjust.run();
                result.set(niceAndPolicy());
            } catch (Exception e) {
                result.set(e);
            }
        });
        t.join();
        if (result.get() instanceof Exception e) {
            throw e;
        }
        return (int[]) result.get();
    }

    @Test
    void lowerCurrentThread_makesOrdinaryWorkIdlePriority() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")) && Files.isExecutable(Path.of("/usr/bin/renice")),
                "Linux with util-linux only");
        int[] lowered = onNewThread(CpuPriority::lowerCurrentThreadNow);
        assertThat(lowered[0]).as("nice").isEqualTo(CpuPriority.ORDINARY_NICE);
        assertThat(lowered[1]).as("policy SCHED_IDLE").isEqualTo(5);
    }

    @Test
    void raiseCurrentThread_onAThreadALoweredThreadStarted_leavesTheIdlePolicy() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")) && Files.isExecutable(Path.of("/usr/bin/renice")),
                "Linux with util-linux only");
        assumeTrue("root".equals(System.getProperty("user.name")), "raising priority needs root or CAP_SYS_NICE");
        AtomicReference<Object> result = new AtomicReference<>();
        // The pool thread a lowered function thread happens to start inherits SCHED_IDLE.
        int[] lowered = onNewThread(() -> {
            CpuPriority.lowerCurrentThreadNow();
            try {
                result.set(onNewThread(CpuPriority::raiseCurrentThread));
            } catch (Exception e) {
                result.set(e);
            }
        });
        assertThat(lowered[1]).as("the starting thread is SCHED_IDLE").isEqualTo(CpuPriority.SCHED_IDLE);
        if (result.get() instanceof Exception e) {
            throw e;
        }
        int[] raised = (int[]) result.get();
        assertThat(raised[0]).as("nice").isEqualTo(CpuPriority.SAFETY_NICE);
        assertThat(raised[1]).as("policy SCHED_OTHER").isZero();
    }

    @Test
    void raiseCurrentThread_raisesTheSafetyPathWhenAllowed() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")) && Files.isExecutable(Path.of("/usr/bin/renice")),
                "Linux with util-linux only");
        assumeTrue("root".equals(System.getProperty("user.name")), "raising priority needs root or CAP_SYS_NICE");
        int[] raised = onNewThread(CpuPriority::raiseCurrentThread);
        assertThat(raised[0]).as("nice").isEqualTo(CpuPriority.SAFETY_NICE);
        assertThat(raised[1]).as("policy SCHED_OTHER").isZero();
    }
}
