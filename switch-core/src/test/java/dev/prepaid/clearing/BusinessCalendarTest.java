package dev.prepaid.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.time.CivilDate;
import org.junit.jupiter.api.Test;

/** Payout days of weekly and monthly cycles: weekends, holidays, make-up working days, short months. */
class BusinessCalendarTest {
    private final BusinessCalendar calendar = new BusinessCalendar(100);

    private static int day(final int yyyymmdd) {
        return CivilDate.epochDay(yyyymmdd);
    }

    private int weekly(final int weekday, final int today) {
        final int payout = calendar.lastWeeklyPayout(weekday, day(today));
        return payout < 0 ? -1 : CivilDate.yyyymmdd(payout);
    }

    private int monthly(final int dayOfMonth, final int today) {
        final int payout = calendar.lastMonthlyPayout(dayOfMonth, day(today));
        return payout < 0 ? -1 : CivilDate.yyyymmdd(payout);
    }

    @Test
    void aWeeklyPayoutIsItsWeekdayOrTheLastOneBefore() {
        // 2026-11-23 is a Monday; Wednesday is weekday 3.
        assertThat(weekly(3, 20261125)).isEqualTo(20261125);   // the day itself
        assertThat(weekly(3, 20261124)).isEqualTo(20261118);   // the Wednesday before
        assertThat(weekly(3, 20261130)).isEqualTo(20261125);
        assertThat(weekly(1, 20261123)).isEqualTo(20261123);
        assertThat(weekly(5, 20261123)).isEqualTo(20261120);
    }

    @Test
    void aWeeklyPayoutOnAWeekendOrHolidayMovesToTheNextWorkingDay() {
        // Sunday (7) is paid on Monday; on the Sunday itself the last payout is still the Monday before.
        assertThat(weekly(7, 20261129)).isEqualTo(20261123);
        assertThat(weekly(7, 20261130)).isEqualTo(20261130);
        assertThat(weekly(6, 20261130)).isEqualTo(20261130);
        // A Friday holiday: paid on Monday, across the weekend.
        calendar.set(day(20261127), DayKind.HOLIDAY);
        assertThat(weekly(5, 20261127)).isEqualTo(20261120);
        assertThat(weekly(5, 20261128)).isEqualTo(20261120);
        assertThat(weekly(5, 20261130)).isEqualTo(20261130);
        // The Saturday after it declared a make-up working day: paid on the Saturday.
        calendar.set(day(20261128), DayKind.WORKDAY);
        assertThat(weekly(5, 20261128)).isEqualTo(20261128);
        assertThat(weekly(5, 20261130)).isEqualTo(20261128);
    }

    @Test
    void aHolidayWeekPushesThePayoutOntoTheNextOneWhichThenPaysOnce() {
        // Golden week 2027: Friday 1 October to Thursday 7 October off; Monday is weekday 1.
        for (int d = 20271001; d <= 20271007; d++) {
            calendar.set(day(d), DayKind.HOLIDAY);
        }
        calendar.set(day(20270926), DayKind.WORKDAY);   // Sunday before: a make-up day
        assertThat(weekly(1, 20271004)).isEqualTo(20270927);
        assertThat(weekly(1, 20271008)).isEqualTo(20271008);   // Monday 4th's payout, on Friday 8th
        assertThat(weekly(1, 20271011)).isEqualTo(20271011);
        // A Sunday cycle: paid on its make-up Sunday.
        assertThat(weekly(7, 20270926)).isEqualTo(20270926);
    }

    @Test
    void aMonthlyPayoutIsItsDayOrTheMonthsLastDay() {
        assertThat(monthly(15, 20261215)).isEqualTo(20261215);   // a Tuesday
        assertThat(monthly(15, 20261214)).isEqualTo(20261116);   // 15 November 2026 is a Sunday: Monday 16th
        // The 31st of a 30-day month is its 30th (Monday 30 November 2026).
        assertThat(monthly(31, 20261130)).isEqualTo(20261130);
        assertThat(monthly(31, 20261229)).isEqualTo(20261130);
        assertThat(monthly(31, 20261231)).isEqualTo(20261231);
        // The 31st of January 2027 is a Sunday: Monday 1 February.
        assertThat(monthly(31, 20270131)).isEqualTo(20261231);
        assertThat(monthly(31, 20270201)).isEqualTo(20270201);
        assertThat(monthly(31, 20270227)).isEqualTo(20270201);
        // February 2027 has 28 days, and the 28th is a Sunday: the 29th, 30th and 31st are paid on Monday 1 March.
        assertThat(monthly(29, 20270301)).isEqualTo(20270301);
        assertThat(monthly(30, 20270226)).isEqualTo(20270201);   // 30 January 2027 is a Saturday: Monday 1 February
        assertThat(monthly(30, 20270301)).isEqualTo(20270301);
        // 2028 is a leap year: 29 February (a Tuesday) is the payout of the 29th, 30th and 31st.
        assertThat(monthly(30, 20280229)).isEqualTo(20280229);
        assertThat(monthly(31, 20280229)).isEqualTo(20280229);
        assertThat(monthly(31, 20280228)).isEqualTo(20280131);
    }

    @Test
    void aMonthlyPayoutOnAHolidayMovesToTheNextWorkingDayEvenIntoTheNextMonth() {
        calendar.set(day(20270101), DayKind.HOLIDAY);       // New Year, a Friday
        assertThat(monthly(1, 20270101)).isEqualTo(20261201);
        assertThat(monthly(1, 20270104)).isEqualTo(20270104); // Monday after the holiday and the weekend
        // The 30th of April 2027 (a Friday) off, 1 to 5 May off, Saturday 8 May a make-up day.
        calendar.set(day(20270430), DayKind.HOLIDAY);
        for (int d = 20270501; d <= 20270505; d++) {
            calendar.set(day(d), DayKind.HOLIDAY);
        }
        assertThat(monthly(30, 20270505)).isEqualTo(20270330);
        assertThat(monthly(30, 20270506)).isEqualTo(20270506); // April's payout, in May
        assertThat(monthly(30, 20270530)).isEqualTo(20270506);
        // A payout day on a make-up Saturday is paid on it.
        calendar.set(day(20270508), DayKind.WORKDAY);
        assertThat(monthly(8, 20270508)).isEqualTo(20270508);
    }

    @Test
    void aWorkingDayAlwaysHasALastPayoutDay() {
        for (int today = day(20260101); today <= day(20281231); today++) {
            if (!calendar.isWorkingDay(today)) {
                continue;
            }
            for (int weekday = 1; weekday <= 7; weekday++) {
                final int payout = calendar.lastWeeklyPayout(weekday, today);
                assertThat(payout).isBetween(today - 6, today);
            }
            for (int dom = 1; dom <= 31; dom++) {
                final int payout = calendar.lastMonthlyPayout(dom, today);
                assertThat(payout).isBetween(today - 33, today);
            }
        }
    }
}
