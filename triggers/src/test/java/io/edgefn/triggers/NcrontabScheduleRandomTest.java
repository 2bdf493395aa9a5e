package io.edgefn.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks {@link NcrontabSchedule#next}'s field-jumping walk against a brute-force scan of
 * every second, over random expressions and start times from a fixed seed.
 */
class NcrontabScheduleRandomTest {

    private static final long SEED = 20261126L;
    private static final int CASES = 300;
    private static final long WINDOW_SECONDS = 3 * 24 * 3600;

    @Test
    void next_randomExpressions_agreesWithSecondBySecondScan() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            String cron = String.join(" ",
                    field(random, 0, 59), field(random, 0, 59), field(random, 0, 23),
                    random.nextInt(3) == 0 ? field(random, 1, 31) : "*",
                    "*",
                    random.nextInt(3) == 0 ? field(random, 0, 6) : "*");
            Instant after = Instant.parse("2026-01-01T00:00:00Z")
                    .plusSeconds(random.nextLong(4L * 365 * 24 * 3600))
                    .plusMillis(random.nextInt(1000));

            Optional<Instant> expected = bruteForce(cron, after);
            Optional<Instant> actual = NcrontabSchedule.parse(cron).next(after);

            String context = "seed " + SEED + " case " + i + ": \"" + cron + "\" after " + after;
            if (expected.isPresent()) {
                assertThat(actual).as(context).isEqualTo(expected);
            } else {
                assertThat(actual).as(context).hasValueSatisfying(
                        t -> assertThat(t).isAfter(after.plusSeconds(WINDOW_SECONDS - 1)));
            }
        }
    }

    private static String field(Random random, int min, int max) {
        int a = min + random.nextInt(max - min + 1);
        int b = a + random.nextInt(max - a + 1);
        return switch (random.nextInt(6)) {
            case 0 -> "*";
            case 1 -> "*/" + (1 + random.nextInt(Math.max(1, (max - min) / 2)));
            case 2 -> Integer.toString(a);
            case 3 -> a + "-" + b;
            case 4 -> a + "-" + b + "/" + (1 + random.nextInt(5));
            default -> a + "," + b;
        };
    }

    private static Optional<Instant> bruteForce(String cron, Instant after) {
        String[] parts = cron.split(" ");
        CronField.Kind[] kinds = CronField.Kind.values();
        CronField[] fields = new CronField[6];
        for (int i = 0; i < 6; i++) {
            fields[i] = CronField.parse(kinds[i], parts[i]);
        }
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).withNano(0);
        for (long s = 0; s < WINDOW_SECONDS; s++) {
            t = t.plusSeconds(1);
            if (fields[0].matches(t.getSecond()) && fields[1].matches(t.getMinute()) && fields[2].matches(t.getHour())
                    && fields[3].matches(t.getDayOfMonth()) && fields[4].matches(t.getMonthValue())
                    && fields[5].matches(t.getDayOfWeek().getValue() % 7)) {
                return Optional.of(t.toInstant(ZoneOffset.UTC));
            }
        }
        return Optional.empty();
    }
}
