package dev.prepaid.security;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * What the key custodians do by hand: make a new MFK component, make a new key, and — only where a person must
 * carry a key somewhere else (a TMK to the terminal's key-loading device, a CVK pair to the card bureau) — reveal
 * a clear key once. Everything else in the switch keeps clear key bytes inside {@link DesKey}.
 */
public final class KeyCeremony {
    private final SecureRandom random;

    public KeyCeremony(final SecureRandom random) {
        this.random = random;
    }

    /**
     * A new MFK component: 16 random bytes with odd parity, as 32 hex digits. Never all zero and never with equal
     * halves (the checks {@link MasterFileKey} makes on the combined key; a component that passes them alone is
     * what a custodian expects).
     */
    public String newComponentHex() {
        final DesKey component = newKey(DesKey.DOUBLE_LENGTH);
        return revealHex(component);
    }

    /** A new random key of 8 or 16 bytes with odd parity; a double-length key never has equal halves. */
    public DesKey newKey(final int length) {
        if (length != DesKey.SINGLE_LENGTH && length != DesKey.DOUBLE_LENGTH) {
            throw new IllegalArgumentException("a key is 8 or 16 bytes, not " + length);
        }
        final byte[] bytes = new byte[length];
        try {
            DesKey key;
            do {
                random.nextBytes(bytes);
                DesKey.setOddParity(bytes, 0, length);
                key = DesKey.of(bytes);
            } while (key.hasEqualHalves());
            return key;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The clear key as hex, for a custodian to carry to where it is needed. Only the key tool calls this. */
    public static String revealHex(final DesKey key) {
        final byte[] clear = new byte[key.length()];
        try {
            key.copyClearTo(clear, 0);
            return Hex.encode(clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }
}
