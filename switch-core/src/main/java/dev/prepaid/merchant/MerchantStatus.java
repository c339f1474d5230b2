package dev.prepaid.merchant;

import dev.prepaid.state.StoredName;

public enum MerchantStatus implements StoredName {
    ACTIVE("ACTIVE"),
    SUSPENDED("SUSPENDED"),
    CLOSED("CLOSED");

    private final String storedName;

    MerchantStatus(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
