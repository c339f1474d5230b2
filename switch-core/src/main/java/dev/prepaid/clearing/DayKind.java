package dev.prepaid.clearing;

/** An entry of the holiday calendar. */
public enum DayKind {
    /** Weekdays work, weekends do not. */
    NORMAL,
    /** A public holiday: no bank settlement. */
    HOLIDAY,
    /** A weekend day declared a working day (the make-up days around Chinese holidays). */
    WORKDAY
}
