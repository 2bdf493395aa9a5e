package io.edgefn.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {

    @Test
    void parse_fixedRate_addsPeriod() {
        Schedule schedule = Schedule.parse("PT0.5S", "");
        assertThat(schedule).isEqualTo(new Schedule.FixedRate(Duration.ofMillis(500)));
        assertThat(schedule.next(Instant.parse("2026-01-01T00:00:00Z")))
                .contains(Instant.parse("2026-01-01T00:00:00.500Z"));
    }

    @Test
    void parse_cron_usesNcrontab() {
        Schedule schedule = Schedule.parse(null, "0 */5 * * * *");
        assertThat(schedule).isInstanceOf(Schedule.Cron.class);
        assertThat(schedule.next(Instant.parse("2026-01-01T00:01:00Z")))
                .contains(Instant.parse("2026-01-01T00:05:00Z"));
    }

    @ParameterizedTest(name = "[{0}] [{1}]")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            ''     | ''            | timer has neither fixedRate nor cron: give exactly one
            null   | null          | timer has neither fixedRate nor cron: give exactly one
            PT1S   | 0 * * * * *   | timer has both fixedRate "PT1S" and cron "0 * * * * *": give exactly one
            5s     | ''            | fixedRate "5s" is not an ISO-8601 duration such as PT0.5S or PT5M
            PT0S   | ''            | fixedRate "PT0S" must be at least 1 ms
            PT-1S  | ''            | fixedRate "PT-1S" must be at least 1 ms
            ''     | 0 61 * * * *  | cron "0 61 * * * *": field 2 (minute) value 61 is out of range 0-59
            """)
    void parse_invalid_saysWhy(String fixedRate, String cron, String message) {
        assertThatThrownBy(() -> Schedule.parse(fixedRate, cron))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
