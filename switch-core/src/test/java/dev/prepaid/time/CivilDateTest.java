package dev.prepaid.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CivilDateTest {

    @Test
    void agreesWithJavaTimeOverTwoCenturies() {
        for (int day = 0; day < 80_000; day += 7) {
            final LocalDate date = LocalDate.ofEpochDay(day);
            final int ymd = date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
            assertThat(CivilDate.yyyymmdd(day)).isEqualTo(ymd);
            assertThat(CivilDate.epochDay(ymd)).isEqualTo(day);
            assertThat(CivilDate.dayOfWeek(day)).isEqualTo(date.getDayOfWeek().getValue() - 1);
            assertThat(CivilDate.plusMonths(day, 13)).isEqualTo(date.plusMonths(13).toEpochDay());
        }
    }

    @Test
    void validatesDatesAndClampsMonthEnds() {
        assertThat(CivilDate.isValid(20240229)).isTrue();
        assertThat(CivilDate.isValid(20230229)).isFalse();
        assertThat(CivilDate.isValid(20231301)).isFalse();
        assertThat(CivilDate.yyyymmdd(CivilDate.plusMonths(CivilDate.epochDay(20240131), 1))).isEqualTo(20240229);
        assertThat(CivilDate.yyyymmdd(CivilDate.lastDayOfYymm(2602))).isEqualTo(20260228);
        assertThat(CivilDate.epochDayOf(0, 480)).isEqualTo(0);
        assertThat(CivilDate.epochDayOf(16 * 3_600_000L, 480)).isEqualTo(1);
    }
}
