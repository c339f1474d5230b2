package dev.prepaid.operator;

/** What an operator may do; the table of permissions is {@link Permissions}. */
public enum Role {
    /** Reference data, operators, parameters. */
    ADMINISTRATOR,
    /** Card stock, sales, recharges and card services at the counter. */
    CLERK,
    /** Approves (and requests) adjustments and balance transfers; card services. */
    SUPERVISOR,
    /** Prepares and approves settlements, records bank results, requests merchant adjustments. */
    FINANCE,
    /** Reads everything, changes nothing. */
    AUDITOR,
    /** A merchant's own user: reads its own merchant only. */
    MERCHANT_USER,
    /** The switch itself: bootstrap, timers. Never a person. */
    SYSTEM
}
