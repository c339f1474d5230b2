package dev.prepaid.card;

import dev.prepaid.state.StoredName;

/** How a buyer paid for prepaid value at the counter. */
public enum PaymentMethod implements StoredName {
    CASH("CASH"),
    BANK_TRANSFER("BANK_TRANSFER"),
    DEBIT_CARD("DEBIT_CARD"),
    /** Refused by regulation: listed so the refusal is explicit and journaled. */
    CREDIT_CARD("CREDIT_CARD");

    private final String storedName;

    PaymentMethod(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
