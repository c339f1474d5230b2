package dev.prepaid.merchant;

import dev.prepaid.state.StoredName;

public enum TerminalStatus implements StoredName {
    ACTIVE("ACTIVE"),
    DISABLED("DISABLED");

    private final String storedName;

    TerminalStatus(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
