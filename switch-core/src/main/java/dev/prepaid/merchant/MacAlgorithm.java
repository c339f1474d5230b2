package dev.prepaid.merchant;

/** MAC of POS field 64, per terminal (pos-iso8583 §5). */
public enum MacAlgorithm {
    CUP_ECB,
    X9_19
}
