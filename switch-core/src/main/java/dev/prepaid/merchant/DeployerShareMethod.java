package dev.prepaid.merchant;

import dev.prepaid.state.StoredName;

/** How the deployer (agent) of a terminal shares in the merchant fee (domain-rules §4). */
public enum DeployerShareMethod implements StoredName {
    NONE("NONE"),
    /** A ratio of the fee (rate in parts per million). */
    FEE_RATIO("FEE_RATIO"),
    /** The fee above a cost rate: fee − amount × rate, never below zero. */
    SPREAD("SPREAD");

    private final String storedName;

    DeployerShareMethod(final String storedName) {
        this.storedName = storedName;
    }

    @Override
    public String storedName() {
        return storedName;
    }
}
