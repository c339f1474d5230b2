package dev.prepaid.merchant;

public enum TerminalStatus {
    ACTIVE,
    DISABLED
}
