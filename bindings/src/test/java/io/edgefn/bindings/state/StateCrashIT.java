package io.edgefn.bindings.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.State;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process putting into a state store is killed with SIGKILL at random moments; every put it
 * saw return is in the store when it is opened again, and the next process carries on.
 */
@Timeout(120)
class StateCrashIT {

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomMoments_losesNoReturnedPut() throws Exception {
        Random random = new Random(20261130L);
        String java = ProcessHandle.current().info().command().orElse("java");
        long lastAcked = 0;
        int kills = Integer.getInteger("edgefn.state.kills", 2); // more for a soak run: -Dedgefn.state.kills=50
        for (int run = 0; run < kills; run++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xmx64m",
                    StateCrashChild.class.getName(), dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int target = 5 + random.nextInt(30);
            CountDownLatch enough = new CountDownLatch(target);
            AtomicLong acked = new AtomicLong(lastAcked);
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("A ")) {
                            acked.set(Long.parseLong(line.substring(2)));
                            enough.countDown();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the pipe closes when the child is killed
                }
            });
            boolean reached = enough.await(60, TimeUnit.SECONDS);
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            assertThat(reached).as("run %d: the child confirmed %d puts (exit %d)", run, target, child.exitValue()).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

            long seen = acked.get();
            try (StateStores stores = StateStores.durable("crash", dir, new ObjectMapper(), StateLimits.DEFAULTS)) {
                State<Long> state = stores.open("counts", Long.class);
                for (long i = Math.max(1, seen - 4); i <= seen; i++) {
                    long stored = state.get("k" + (i % 5)).orElse(0L);
                    assertThat(stored).as("run %d: put %d returned before the kill", run, i).isGreaterThanOrEqualTo(i);
                    assertThat(stored % 5).isEqualTo(i % 5);
                }
            }
            assertThat(seen).as("each run carries on from the last").isGreaterThan(lastAcked);
            lastAcked = seen;
        }
    }
}
