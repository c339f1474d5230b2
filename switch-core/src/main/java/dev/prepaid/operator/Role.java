package dev.prepaid.operator;

import dev.prepaid.state.StoredName;

/** What an operator may do; the table of permissions is {@link Permissions}. */
public enum Role implements StoredName {
    /** Reference data, operators, parameters. */
    ADMINISTRATOR("ADMINISTRATOR"),
    /** Card stock, sales, recharges and card services at the counter. */
    CLERK("CLERK"),
    /** Approves (and requests) adjustments and balance transfers; card services. */
    SUPERVISOR("SUPERVISOR"),
    /** Prepares and approves settlements, records bank results, requests merchant adjustments. */
    FINANCE("FINANCE"),
    /** Reads everything, changes nothing. */
    AUDITOR("AUDITOR"),
    /** A merchant's own user: reads its own merchant only. */
    MERCHANT_USER("MERCHANT_USER"),
    /** The switch itself: bootstrap, timers. Never a person. */
    SYSTEM("SYSTEM");

    private final String storedName;

    Role(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
