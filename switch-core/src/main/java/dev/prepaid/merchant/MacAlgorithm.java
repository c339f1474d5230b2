package dev.prepaid.merchant;

import dev.prepaid.state.StoredName;

/** MAC of POS field 64, per terminal (pos-iso8583 §5). */
public enum MacAlgorithm implements StoredName {
    CUP_ECB("CUP_ECB"),
    X9_19("X9_19");

    private final String storedName;

    MacAlgorithm(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
