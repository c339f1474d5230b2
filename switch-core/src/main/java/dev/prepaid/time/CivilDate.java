package dev.prepaid.time;

/**
 * Calendar arithmetic on epoch days without {@code java.time} objects, so the ledger thread can turn a
 * timestamp into a date without allocating. Dates are proleptic Gregorian; "yyyymmdd" ints are for humans
 * and commands, epoch days are for arithmetic.
 */
public final class CivilDate {
    public static final long MILLIS_PER_DAY = 86_400_000L;

    private CivilDate() {
    }

    /** Epoch day of the local date at {@code epochMillis} in a zone {@code offsetMinutes} east of UTC. */
    public static int epochDayOf(final long epochMillis, final int offsetMinutes) {
        return (int) Math.floorDiv(epochMillis + offsetMinutes * 60_000L, MILLIS_PER_DAY);
    }

    /** yyyymmdd of an epoch day (algorithm from Howard Hinnant's "chrono-compatible low-level date algorithms"). */
    public static int yyyymmdd(final int epochDay) {
        final long z = epochDay + 719_468L;
        final long era = Math.floorDiv(z, 146_097L);
        final long doe = z - era * 146_097L;
        final long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final long day = doy - (153 * mp + 2) / 5 + 1;
        final long month = mp < 10 ? mp + 3 : mp - 9;
        final long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return (int) (year * 10_000 + month * 100 + day);
    }

    /** Epoch day of a yyyymmdd date; the date must be valid (see {@link #isValid}). */
    public static int epochDay(final int yyyymmdd) {
        final long year0 = yyyymmdd / 10_000;
        final long month = (yyyymmdd / 100) % 100;
        final long day = yyyymmdd % 100;
        final long year = month <= 2 ? year0 - 1 : year0;
        final long era = Math.floorDiv(year, 400L);
        final long yoe = year - era * 400;
        final long doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        final long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return (int) (era * 146_097 + doe - 719_468);
    }

    public static boolean isValid(final int yyyymmdd) {
        final int year = yyyymmdd / 10_000;
        final int month = (yyyymmdd / 100) % 100;
        final int day = yyyymmdd % 100;
        return year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
    }

    public static int daysInMonth(final int year, final int month) {
        switch (month) {
            case 2:
                return isLeap(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    public static boolean isLeap(final int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /** yyyymm of an epoch day. */
    public static int yyyymm(final int epochDay) {
        return yyyymmdd(epochDay) / 100;
    }

    /** MMDD of an epoch day, as POS fields 13 and 15 carry it. */
    public static int mmdd(final int epochDay) {
        return yyyymmdd(epochDay) % 10_000;
    }

    /** 0 = Monday … 6 = Sunday. */
    public static int dayOfWeek(final int epochDay) {
        return (int) Math.floorMod(epochDay + 3L, 7L);
    }

    /**
     * Adds whole months, clamping the day to the target month's length (31 Jan + 1 month = 28/29 Feb), which
     * is how validity periods are counted.
     */
    public static int plusMonths(final int epochDay, final int months) {
        final int date = yyyymmdd(epochDay);
        final int totalMonths = (date / 10_000) * 12 + ((date / 100) % 100 - 1) + months;
        final int year = totalMonths / 12;
        final int month = totalMonths % 12 + 1;
        final int day = Math.min(date % 100, daysInMonth(year, month));
        return epochDay(year * 10_000 + month * 100 + day);
    }

    /** The last epoch day of the YYMM month a card's track 2 carries (2000-2099). */
    public static int lastDayOfYymm(final int yymm) {
        final int year = 2000 + yymm / 100;
        final int month = yymm % 100;
        return epochDay(year * 10_000 + month * 100 + daysInMonth(year, month));
    }

    /** Renders an epoch day as yyyy-mm-dd (not for the ledger thread: it allocates). */
    public static String iso(final int epochDay) {
        final int d = yyyymmdd(epochDay);
        return String.format("%04d-%02d-%02d", d / 10_000, (d / 100) % 100, d % 100);
    }
}
