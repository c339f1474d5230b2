package dev.prepaid.clearing.daily;

import dev.prepaid.time.CivilDate;

/**
 * Where a business day is in the journal: the cut-over that opened it and the next one, which closed it (its fees
 * and deployer shares are posted by that closing cut-over, so it belongs to the day). Sequence, Chronicle index and
 * timestamp of each, so a reader can be positioned at either.
 *
 * @param date the business date, yyyymmdd
 */
public record DayBounds(int date, long openSequence, long openIndex, long openTimestamp, long closeSequence,
        long closeIndex, long closeTimestamp) {
    public DayBounds {
        if (!CivilDate.isValid(date)) {
            throw new IllegalArgumentException(date + " is not a date (yyyymmdd)");
        }
        if (openSequence <= 0 || closeSequence <= openSequence) {
            throw new IllegalArgumentException("a day runs from its opening cut-over to a later one, not from "
                    + openSequence + " to " + closeSequence);
        }
    }

    /** The date as people write it, 2026-01-05. */
    public String iso() {
        return CivilDate.iso(CivilDate.epochDay(date));
    }
}
