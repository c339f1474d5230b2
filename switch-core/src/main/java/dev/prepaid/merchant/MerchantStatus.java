package dev.prepaid.merchant;

public enum MerchantStatus {
    ACTIVE,
    SUSPENDED,
    CLOSED
}
