package io.edgefn.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * When a timer fires: a fixed rate or an NCRONTAB schedule.
 *
 * <p>Implementations are immutable and safe to share between threads.
 */
public sealed interface Schedule permits Schedule.FixedRate, Schedule.Cron {

    /**
     * Parses a timer's schedule from exactly one of an ISO-8601 duration ({@code "PT0.5S"},
     * {@code "PT5M"}) and a six-field NCRONTAB expression; the other must be empty or null.
     *
     * @throws IllegalArgumentException when both or neither are given, when the duration does not
     *     parse or is shorter than one millisecond, or when the cron expression is invalid (with
     *     {@link NcrontabSchedule#parse}'s message)
     */
    static Schedule parse(String fixedRate, String cron) {
        boolean hasRate = fixedRate != null && !fixedRate.isEmpty();
        boolean hasCron = cron != null && !cron.isEmpty();
        if (hasRate == hasCron) {
            throw new IllegalArgumentException(hasRate
                    ? "timer has both fixedRate \"" + fixedRate + "\" and cron \"" + cron + "\": give exactly one"
                    : "timer has neither fixedRate nor cron: give exactly one");
        }
        if (hasCron) {
            return new Cron(NcrontabSchedule.parse(cron));
        }
        Duration period;
        try {
            period = Duration.parse(fixedRate);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("fixedRate \"" + fixedRate
                    + "\" is not an ISO-8601 duration such as PT0.5S or PT5M", e);
        }
        return new FixedRate(period);
    }

    /**
     * The first time after {@code after} this schedule fires, or empty when it never fires
     * again.
     */
    Optional<Instant> next(Instant after);

    /**
     * Fires every {@code period}, measured from the previous scheduled time.
     *
     * @param period at least one millisecond
     */
    record FixedRate(Duration period) implements Schedule {

        /** Checks that the period is at least one millisecond. */
        public FixedRate {
            Objects.requireNonNull(period, "period");
            if (period.toMillis() < 1) {
                throw new IllegalArgumentException("fixedRate \"" + period + "\" must be at least 1 ms");
            }
        }

        /** Returns {@code after} plus the period. */
        @Override
        public Optional<Instant> next(Instant after) {
            return Optional.of(after.plus(period));
        }
    }

    /**
     * Fires at the times an NCRONTAB expression matches, in UTC.
     *
     * @param cron the parsed expression
     */
    record Cron(NcrontabSchedule cron) implements Schedule {

        /** Checks that the expression is present. */
        public Cron {
            Objects.requireNonNull(cron, "cron");
        }

        /** Returns the expression's next match after {@code after}. */
        @Override
        public Optional<Instant> next(Instant after) {
            return cron.next(after);
        }
    }
}
