package dev.prepaid.payout;

/** What the bank says of one payout. */
public enum PayoutStatus {
    /** The merchant's account was credited: the money has left custody. */
    PAID,
    /** The transfer was not made (closed account, wrong name, …): the amount goes back to the merchant's payable. */
    FAILED
}
