package dev.prepaid.card;

import dev.prepaid.state.StoredName;

/** Where a card was sold or recharged. Agents are limited in face value. */
public enum SalesChannel implements StoredName {
    COUNTER("COUNTER"),
    AGENT("AGENT");

    private final String storedName;

    SalesChannel(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
