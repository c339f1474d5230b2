package dev.prepaid.operator;

public enum OperatorStatus {
    ACTIVE,
    DISABLED
}
