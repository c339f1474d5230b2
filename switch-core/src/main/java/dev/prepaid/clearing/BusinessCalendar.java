package dev.prepaid.clearing;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import dev.prepaid.time.CivilDate;
import org.agrona.collections.Int2IntHashMap;

/**
 * Which days banks settle: Monday to Friday, minus configured holidays, plus configured make-up working
 * days. Only looked up by day, never iterated, so hash order cannot leak into results.
 */
public final class BusinessCalendar {
    /** How an exception day is kept in the map (memory only: snapshots store the day kind's stored name). */
    private static final int HOLIDAY = 1;
    private static final int WORKDAY = 2;

    private final Int2IntHashMap exceptions = new Int2IntHashMap(-1);
    private final int capacity;

    public BusinessCalendar(final int capacity) {
        this.capacity = capacity;
    }

    public boolean isWorkingDay(final int epochDay) {
        final int kind = exceptions.get(epochDay);
        if (kind == HOLIDAY) {
            return false;
        }
        if (kind == WORKDAY) {
            return true;
        }
        return CivilDate.dayOfWeek(epochDay) < 5;
    }

    public boolean canSet(final int epochDay, final DayKind kind) {
        return kind == DayKind.NORMAL || exceptions.containsKey(epochDay) || exceptions.size() < capacity;
    }

    public void set(final int epochDay, final DayKind kind) {
        if (kind == DayKind.NORMAL) {
            exceptions.remove(epochDay);
        } else {
            exceptions.put(epochDay, kind == DayKind.HOLIDAY ? HOLIDAY : WORKDAY);
        }
    }

    public DayKind kindOf(final int epochDay) {
        final int kind = exceptions.get(epochDay);
        return kind == HOLIDAY ? DayKind.HOLIDAY : kind == WORKDAY ? DayKind.WORKDAY : DayKind.NORMAL;
    }

    /** Working days in the half-open interval (from, to]. */
    public int workingDaysAfter(final int from, final int to) {
        int days = 0;
        for (int d = from + 1; d <= to; d++) {
            if (isWorkingDay(d)) {
                days++;
            }
        }
        return days;
    }

    /**
     * How far back a weekly or monthly cycle's last payout day is looked for: its payout day and every business day
     * after it up to today must fit in the days of activity a merchant keeps (Merchant.DAY_BUCKETS, 64).
     */
    public static final int PAYOUT_LOOKBACK_DAYS = 62;

    /** The first working day in [from, to], or -1 when there is none. */
    public int firstWorkingDay(final int from, final int to) {
        for (int d = from; d <= to; d++) {
            if (isWorkingDay(d)) {
                return d;
            }
        }
        return -1;
    }

    /**
     * The latest payout day on or before {@code today} of a cycle paying on {@code weekday} (1 = Monday … 7 =
     * Sunday): that weekday of a week, or the first working day after it when it is not one. -1 when no payout
     * day falls in the last {@link #PAYOUT_LOOKBACK_DAYS} days (a calendar without working days).
     */
    public int lastWeeklyPayout(final int weekday, final int today) {
        final int back = Math.floorMod(CivilDate.dayOfWeek(today) - (weekday - 1), 7);
        for (int nominal = today - back; nominal >= today - PAYOUT_LOOKBACK_DAYS; nominal -= 7) {
            final int payout = firstWorkingDay(nominal, today);
            if (payout >= 0) {
                return payout;
            }
        }
        return -1;
    }

    /**
     * The latest payout day on or before {@code today} of a cycle paying on {@code dayOfMonth} (1..31): that day
     * of a month (its last day when the month is shorter: the 31st of a 30-day month is the 30th, the 30th of
     * February the 28th or 29th), or the first working day after it when it is not one. -1 as for weekly cycles.
     */
    public int lastMonthlyPayout(final int dayOfMonth, final int today) {
        final int date = CivilDate.yyyymmdd(today);
        int year = date / 10_000;
        int month = (date / 100) % 100;
        while (true) {
            final int nominal = CivilDate.epochDay(year * 10_000 + month * 100
                    + Math.min(dayOfMonth, CivilDate.daysInMonth(year, month)));
            if (nominal < today - PAYOUT_LOOKBACK_DAYS) {
                return -1;
            }
            final int payout = nominal <= today ? firstWorkingDay(nominal, today) : -1;
            if (payout >= 0) {
                return payout;
            }
            if (--month == 0) {
                month = 12;
                year--;
            }
        }
    }

    /** The exception days in ascending order (for snapshots; sorted, so the order is not the map's). */
    public int[] sortedDays() {
        final int[] days = new int[exceptions.size()];
        final Int2IntHashMap.KeyIterator it = exceptions.keySet().iterator();
        int i = 0;
        while (it.hasNext()) {
            days[i++] = it.nextValue();
        }
        java.util.Arrays.sort(days);
        return days;
    }

    public int size() {
        return exceptions.size();
    }

    /** The exception days in ascending order, each with its kind's stored name. */
    public void writeTo(final StateWriter out) {
        final int[] days = sortedDays();
        out.i32(days.length);
        for (final int day : days) {
            out.i32(day);
            out.stored(kindOf(day));
        }
    }

    /** Sets the days written by {@link #writeTo}. */
    public void readFrom(final StateReader in) {
        for (int i = in.i32(); i > 0; i--) {
            set(in.i32(), in.stored(DayKind.class));
        }
    }
}
