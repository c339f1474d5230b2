package dev.prepaid.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When business days begin and end, as pure functions of an instant (no clock is read here): the single switch asks
 * with its clock's time, a ledger cluster with the time of its log, so every member computes the same cut-over.
 */
public final class BusinessDays {
    private BusinessDays() {
    }

    /**
     * The business date at {@code instant}: a cut-over before noon closes the day that began at the previous
     * cut-over and is named after its first calendar date (02:00 on the 24th closes the 23rd); a cut-over at
     * noon or later opens the next day early (23:00 on the 23rd opens the 24th). Midnight is the plain
     * calendar date.
     */
    public static int dateAt(final Instant instant, final ZoneId zone, final LocalTime cutover) {
        final LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        final LocalDate shifted = local.minusHours(cutover.getHour()).minusMinutes(cutover.getMinute()).toLocalDate();
        final LocalDate date = cutover.getHour() >= 12 ? shifted.plusDays(1) : shifted;
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    /** The next instant after {@code now} at which the business date changes. */
    public static Instant nextCutover(final Instant now, final ZoneId zone, final LocalTime cutover) {
        final ZonedDateTime local = now.atZone(zone);
        ZonedDateTime next = local.toLocalDate().atTime(cutover).atZone(zone);
        if (!next.toInstant().isAfter(now)) {
            next = local.toLocalDate().plusDays(1).atTime(cutover).atZone(zone);
        }
        return next.toInstant();
    }
}
