package dev.prepaid.security;

/**
 * Comparisons whose running time does not depend on where two secrets first differ, so that an attacker
 * timing MAC or check-value rejections learns nothing about the expected value byte by byte.
 */
public final class ConstantTime {
    private ConstantTime() {
    }

    /** Whether {@code a[aOffset..+length)} equals {@code b[bOffset..+length)}; time depends only on length. */
    public static boolean equals(
        final byte[] a, final int aOffset, final byte[] b, final int bOffset, final int length) {
        int difference = 0;
        for (int i = 0; i < length; i++) {
            difference |= a[aOffset + i] ^ b[bOffset + i];
        }
        return difference == 0;
    }
}
