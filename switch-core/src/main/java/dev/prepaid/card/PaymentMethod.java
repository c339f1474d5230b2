package dev.prepaid.card;

/** How a buyer paid for prepaid value at the counter. */
public enum PaymentMethod {
    CASH,
    BANK_TRANSFER,
    DEBIT_CARD,
    /** Refused by regulation: listed so the refusal is explicit and journaled. */
    CREDIT_CARD
}
