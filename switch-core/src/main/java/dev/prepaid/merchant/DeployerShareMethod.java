package dev.prepaid.merchant;

/** How the deployer (agent) of a terminal shares in the merchant fee (domain-rules §4). */
public enum DeployerShareMethod {
    NONE,
    /** A ratio of the fee (rate in parts per million). */
    FEE_RATIO,
    /** The fee above a cost rate: fee − amount × rate, never below zero. */
    SPREAD
}
