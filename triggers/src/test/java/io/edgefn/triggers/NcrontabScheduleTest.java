package io.edgefn.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NcrontabScheduleTest {

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private static List<Instant> occurrences(String cron, String after, int count) {
        NcrontabSchedule schedule = NcrontabSchedule.parse(cron);
        List<Instant> result = new ArrayList<>();
        Instant t = at(after);
        for (int i = 0; i < count; i++) {
            t = schedule.next(t).orElseThrow();
            result.add(t);
        }
        return result;
    }

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0 */5 * * * *         | 2026-01-01T00:02:30Z     | 2026-01-01T00:05:00Z
            * * * * * *           | 2026-01-01T10:00:00Z     | 2026-01-01T10:00:01Z
            * * * * * *           | 2026-01-01T10:00:00.500Z | 2026-01-01T10:00:01Z
            15,45 * * * * *       | 2026-01-01T10:00:20Z     | 2026-01-01T10:00:45Z
            0 0 8-18/4 * * *      | 2026-01-01T09:00:00Z     | 2026-01-01T12:00:00Z
            0 0 8-18/4 * * *      | 2026-01-01T16:00:00Z     | 2026-01-02T08:00:00Z
            0 30 9 * JAN MON      | 2026-01-01T00:00:00Z     | 2026-01-05T09:30:00Z
            0 30 9 * jan mon      | 2026-01-05T09:30:00Z     | 2026-01-12T09:30:00Z
            0 0 12 * * 0          | 2026-01-01T00:00:00Z     | 2026-01-04T12:00:00Z
            0 0 12 * * SUN        | 2026-01-04T12:00:00Z     | 2026-01-11T12:00:00Z
            0 0 0 1 1 *           | 2026-06-01T00:00:00Z     | 2027-01-01T00:00:00Z
            0 0 0 29 2 *          | 2026-03-01T00:00:00Z     | 2028-02-29T00:00:00Z
            0 0 0 29 2 MON        | 2026-01-01T00:00:00Z     | 2044-02-29T00:00:00Z
            0 0 0 31 * *          | 2026-04-01T00:00:00Z     | 2026-05-31T00:00:00Z
            30/10 * * * * *       | 2026-01-01T00:00:41Z     | 2026-01-01T00:00:50Z
            59 59 23 31 12 *      | 2026-01-01T00:00:00Z     | 2026-12-31T23:59:59Z
            0 0 0 * * 6           | 2026-12-31T12:00:00Z     | 2027-01-02T00:00:00Z
            """)
    void next_matchingTime_returnsFirstOccurrenceStrictlyAfter(String cron, String after, String expected) {
        assertThat(NcrontabSchedule.parse(cron).next(at(after))).contains(at(expected));
    }

    @Test
    void next_bothDayFieldsRestricted_requiresBothToMatch() {
        // Friday the 13th only: NCrontab (and so Azure Functions) ANDs the two day fields.
        assertThat(occurrences("0 0 0 13 * 5", "2026-01-01T00:00:00Z", 3)).containsExactly(
                at("2026-02-13T00:00:00Z"), at("2026-03-13T00:00:00Z"), at("2026-11-13T00:00:00Z"));
    }

    @Test
    void next_everySecondAcrossMinuteAndDay_countsEveryInstant() {
        List<Instant> ticks = occurrences("*/20 * * * * *", "2026-12-31T23:59:30Z", 3);
        assertThat(ticks).containsExactly(
                at("2026-12-31T23:59:40Z"), at("2027-01-01T00:00:00Z"), at("2027-01-01T00:00:20Z"));
    }

    @Test
    void next_impossibleDate_isEmptyAndQuick() {
        NcrontabSchedule february30 = NcrontabSchedule.parse("0 0 0 30 2 *");
        long start = System.nanoTime();
        Optional<Instant> next = february30.next(at("2026-01-01T00:00:00Z"));
        assertThat(next).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void next_endOfTime_isEmpty() {
        assertThat(NcrontabSchedule.parse("* * * * * *").next(Instant.MAX)).isEmpty();
    }

    @Test
    void next_rareScheduleManyTimes_staysFast() {
        NcrontabSchedule rare = NcrontabSchedule.parse("0 0 0 29 2 1");
        long start = System.nanoTime();
        Instant t = at("2000-01-01T00:00:00Z");
        for (int i = 0; i < 200; i++) {
            t = rare.next(t).orElseThrow();
        }
        assertThat(t).isAfter(at("3000-01-01T00:00:00Z"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0 61 * * * *    | cron "0 61 * * * *": field 2 (minute) value 61 is out of range 0-59
            0 0 * * *       | cron "0 0 * * *": expected 6 fields (second minute hour day month day-of-week), found 5
            60 * * * * *    | cron "60 * * * * *": field 1 (second) value 60 is out of range 0-59
            0 0 24 * * *    | cron "0 0 24 * * *": field 3 (hour) value 24 is out of range 0-23
            0 0 0 0 * *     | cron "0 0 0 0 * *": field 4 (day) value 0 is out of range 1-31
            0 0 0 * 13 *    | cron "0 0 0 * 13 *": field 5 (month) value 13 is out of range 1-12
            0 0 0 * * 7     | cron "0 0 0 * * 7": field 6 (day-of-week) value 7 is out of range 0-6
            */0 * * * * *   | cron "*/0 * * * * *": field 1 (second) step 0 in "*/0" must be at least 1
            0 5-3 * * * *   | cron "0 5-3 * * * *": field 2 (minute) range "5-3" goes backwards
            0 0 0 * FOO *   | cron "0 0 0 * FOO *": field 5 (month) value "FOO" is not a number or a name such as JAN
            0 0 0 * * FRIDAY | cron "0 0 0 * * FRIDAY": field 6 (day-of-week) value "FRIDAY" is not a number or a name such as SUN
            0 1,,2 * * * *  | cron "0 1,,2 * * * *": field 2 (minute) has an empty list item in "1,,2"
            0 */x * * * *   | cron "0 */x * * * *": field 2 (minute) step "x" is not a number
            0 0 0 * * * *   | cron "0 0 0 * * * *": expected 6 fields (second minute hour day month day-of-week), found 7
            """)
    void parse_invalidExpression_namesFieldPositionAndReason(String cron, String message) {
        assertThatThrownBy(() -> NcrontabSchedule.parse(cron))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void parse_blank_saysNoFields() {
        assertThatThrownBy(() -> NcrontabSchedule.parse("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found 0");
    }

    @Test
    void expression_afterParse_isTheInput() {
        assertThat(NcrontabSchedule.parse("0 */5 * * * *").expression()).isEqualTo("0 */5 * * * *");
    }
}
