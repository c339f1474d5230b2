package dev.prepaid.card;

import dev.prepaid.state.StoredName;

/** Who bought: a person or an organisation; the cash limits differ. */
public enum BuyerKind implements StoredName {
    PERSON("PERSON"),
    ORGANISATION("ORGANISATION");

    private final String storedName;

    BuyerKind(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
