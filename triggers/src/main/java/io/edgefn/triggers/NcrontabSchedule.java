package io.edgefn.triggers;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A six-field NCRONTAB schedule with seconds, as Azure Functions' timer trigger uses, evaluated
 * in UTC: {@code second minute hour day month day-of-week}.
 *
 * <p>Each field takes {@code *}, a value, a range {@code a-b}, a step {@code *}{@code /n},
 * {@code a-b/n} or {@code a/n} (from {@code a} to the field's maximum), or a comma-separated list
 * of those. Months and days of the week may be written as three-letter English names
 * ({@code JAN}, {@code MON}, any case); day-of-week runs 0–6 with 0 = Sunday.
 *
 * <p>Day of month and day of week: a time must match <em>both</em>, as in NCrontab (which Azure
 * Functions uses; its {@code TryGetNextOccurrence} finds the next day of month and then rejects
 * it unless the day of week also matches). This differs from Vixie cron, which fires when either
 * restricted day field matches: {@code "0 0 0 13 * FRI"} here means Friday the 13th only.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class NcrontabSchedule {

    /**
     * How far {@link #next} searches. The Gregorian calendar repeats every 400 years, so a
     * schedule with no occurrence in that span (say, February 30th) has none at all.
     */
    private static final int SEARCH_YEARS = 400;

    private final String expression;
    private final CronField seconds;
    private final CronField minutes;
    private final CronField hours;
    private final CronField days;
    private final CronField months;
    private final CronField daysOfWeek;

    private NcrontabSchedule(String expression, CronField[] fields) {
        this.expression = expression;
        this.seconds = fields[0];
        this.minutes = fields[1];
        this.hours = fields[2];
        this.days = fields[3];
        this.months = fields[4];
        this.daysOfWeek = fields[5];
    }

    /**
     * Parses a six-field NCRONTAB expression.
     *
     * @throws IllegalArgumentException naming the expression, the field, its position and why,
     *     e.g. {@code cron "0 61 * * * *": field 2 (minute) value 61 is out of range 0-59}
     */
    public static NcrontabSchedule parse(String expression) {
        if (expression == null) {
            throw new IllegalArgumentException("cron expression is null");
        }
        String[] parts = expression.trim().split("\\s+");
        if (expression.isBlank() || parts.length != 6) {
            throw new IllegalArgumentException("cron \"" + expression + "\": expected 6 fields"
                    + " (second minute hour day month day-of-week), found "
                    + (expression.isBlank() ? 0 : parts.length));
        }
        CronField.Kind[] kinds = CronField.Kind.values();
        CronField[] fields = new CronField[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            try {
                fields[i] = CronField.parse(kinds[i], parts[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cron \"" + expression + "\": " + e.getMessage(), e);
            }
        }
        return new NcrontabSchedule(expression, fields);
    }

    /**
     * The first whole-second instant strictly after {@code after} that the schedule matches, or
     * empty when it never matches again (an impossible date such as {@code 0 0 0 30 2 *}, or the
     * end of {@link LocalDateTime}'s range).
     *
     * <p>Walks field by field, jumping to the next allowed month, day, hour, minute and second,
     * so its cost is bounded by the number of days it skips, never by seconds.
     */
    public Optional<Instant> next(Instant after) {
        LocalDateTime t;
        LocalDateTime limit;
        try {
            t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            limit = t.plusYears(SEARCH_YEARS);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        try {
            while (!t.isAfter(limit)) {
                int month = months.nextOrSame(t.getMonthValue());
                if (month < 0) {
                    t = LocalDate.of(t.getYear() + 1, 1, 1).atStartOfDay();
                    continue;
                }
                if (month != t.getMonthValue()) {
                    t = LocalDate.of(t.getYear(), month, 1).atStartOfDay();
                    continue;
                }
                if (!dayMatches(t.toLocalDate())) {
                    t = t.toLocalDate().plusDays(1).atStartOfDay();
                    continue;
                }
                int hour = hours.nextOrSame(t.getHour());
                if (hour < 0) {
                    t = t.toLocalDate().plusDays(1).atStartOfDay();
                    continue;
                }
                if (hour != t.getHour()) {
                    t = t.toLocalDate().atTime(hour, 0);
                }
                int minute = minutes.nextOrSame(t.getMinute());
                if (minute < 0) {
                    t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                    continue;
                }
                if (minute != t.getMinute()) {
                    t = t.truncatedTo(ChronoUnit.HOURS).withMinute(minute);
                }
                int second = seconds.nextOrSame(t.getSecond());
                if (second < 0) {
                    t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
                    continue;
                }
                return Optional.of(t.withSecond(second).toInstant(ZoneOffset.UTC));
            }
        } catch (DateTimeException e) {
            // Ran off the end of LocalDateTime's range: there is no next occurrence to give.
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate date) {
        return days.matches(date.getDayOfMonth()) && daysOfWeek.matches(date.getDayOfWeek().getValue() % 7);
    }

    /** The expression as it was parsed. */
    public String expression() {
        return expression;
    }

    /** Returns the expression as it was parsed. */
    @Override
    public String toString() {
        return expression;
    }
}
