package dev.prepaid.operator;

import dev.prepaid.state.StoredName;

public enum OperatorStatus implements StoredName {
    ACTIVE("ACTIVE"),
    DISABLED("DISABLED");

    private final String storedName;

    OperatorStatus(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
