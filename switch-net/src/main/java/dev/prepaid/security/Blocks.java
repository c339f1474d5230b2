package dev.prepaid.security;

/** 8-byte blocks as big-endian {@code long}s, so block arithmetic (XOR, nibbles) needs no scratch array. */
final class Blocks {
    static final int LENGTH = 8;

    private Blocks() {
    }

    static long getLong(final byte[] bytes, final int offset) {
        long value = 0;
        for (int i = 0; i < LENGTH; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    static void putLong(final long value, final byte[] bytes, final int offset) {
        for (int i = 0; i < LENGTH; i++) {
            bytes[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
    }
}
