package dev.prepaid.clearing;

import dev.prepaid.state.StoredName;

/** An entry of the holiday calendar. */
public enum DayKind implements StoredName {
    /** Weekdays work, weekends do not. */
    NORMAL("NORMAL"),
    /** A public holiday: no bank settlement. */
    HOLIDAY("HOLIDAY"),
    /** A weekend day declared a working day (the make-up days around Chinese holidays). */
    WORKDAY("WORKDAY");

    private final String storedName;

    DayKind(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
