package io.edgefn.examples.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.FunctionContext;
import io.edgefn.api.Settings;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CpuBurnerTest {

    /** A clock that moves 1 ms every time it is read, counting the reads. */
    private static final class SteppingClock implements InstantSource {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusMillis(reads.getAndIncrement());
        }
    }

    private static FunctionContext context(InstantSource clock, Map<String, Long> settings) {
        Settings s = new Settings() {
            @Override
            public Optional<String> string(String key) {
                return Optional.empty();
            }

            @Override
            public double number(String key, double defaultValue) {
                return settings.containsKey(key) ? settings.get(key) : defaultValue;
            }

            @Override
            public long integer(String key, long defaultValue) {
                return settings.getOrDefault(key, defaultValue);
            }

            @Override
            public boolean bool(String key, boolean defaultValue) {
                return defaultValue;
            }

            @Override
            public Map<String, Object> asMap() {
                return Map.copyOf(settings);
            }
        };
        return new FunctionContext() {
            @Override
            public String functionName() {
                return "cpu-burner";
            }

            @Override
            public String invocationId() {
                return "cpu-burner#1";
            }

            @Override
            public System.Logger logger() {
                return System.getLogger("cpu-burner");
            }

            @Override
            public InstantSource clock() {
                return clock;
            }

            @Override
            public Settings settings() {
                return s;
            }
        };
    }

    @Test
    void burn_burnMillisSet_spinsUntilTheClockHasAdvancedThatMuch() {
        SteppingClock clock = new SteppingClock();

        new CpuBurner().burn(context(clock, Map.of("burnMillis", 5L)));

        // One read for the start, then one per round until the clock passes start + 5 ms.
        assertThat(clock.reads.get()).isEqualTo(6);
    }

    @Test
    void burn_noSetting_returnsWithoutReadingTheClock() {
        SteppingClock clock = new SteppingClock();

        new CpuBurner().burn(context(clock, Map.of()));

        assertThat(clock.reads.get()).isZero();
    }

    @Test
    void burn_burnMillisOutOfRange_failsNamingTheSetting() {
        CpuBurner burner = new CpuBurner();

        assertThatThrownBy(() -> burner.burn(context(new SteppingClock(), Map.of("burnMillis", -1L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burnMillis of function cpu-burner must be 0..1000, was -1");
        assertThatThrownBy(() -> burner.burn(context(new SteppingClock(), Map.of("burnMillis", 60_000L))))
                .hasMessageContaining("was 60000");
    }
}
