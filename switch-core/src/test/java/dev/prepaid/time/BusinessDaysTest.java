package dev.prepaid.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BusinessDaysTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static Instant at(final String local) {
        return java.time.LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
    }

    @Test
    void aCutoverBeforeNoonClosesTheDayNamedAfterItsFirstDate() {
        final LocalTime two = LocalTime.of(2, 0);
        assertThat(BusinessDays.dateAt(at("2026-03-24T01:59:59"), SHANGHAI, two)).isEqualTo(20260323);
        assertThat(BusinessDays.dateAt(at("2026-03-24T02:00:00"), SHANGHAI, two)).isEqualTo(20260324);
    }

    @Test
    void aCutoverAtNoonOrLaterOpensTheNextDayEarly() {
        final LocalTime eleven = LocalTime.of(23, 0);
        assertThat(BusinessDays.dateAt(at("2026-03-23T22:59:00"), SHANGHAI, eleven)).isEqualTo(20260323);
        assertThat(BusinessDays.dateAt(at("2026-03-23T23:00:00"), SHANGHAI, eleven)).isEqualTo(20260324);
        assertThat(BusinessDays.dateAt(at("2026-03-23T12:00:00"), SHANGHAI, LocalTime.MIDNIGHT)).isEqualTo(20260323);
    }

    @Test
    void theNextCutoverIsAlwaysAfterNow() {
        final LocalTime two = LocalTime.of(2, 0);
        assertThat(BusinessDays.nextCutover(at("2026-03-24T01:00:00"), SHANGHAI, two)).isEqualTo(at("2026-03-24T02:00:00"));
        assertThat(BusinessDays.nextCutover(at("2026-03-24T02:00:00"), SHANGHAI, two)).isEqualTo(at("2026-03-25T02:00:00"));
    }
}
