package dev.prepaid.cli;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The check value of a DES key or key component: the encryption of eight zero bytes under it, as key custodians
 * and key loaders print it (the first bytes in hex). The CLI checks each typed TMK component against the check
 * value its custodian holds before anything is sent; the whole TMK is checked by the endpoint.
 */
final class KeyCheckValues {
    private KeyCheckValues() {
    }

    /** The 8-byte check value of a single (8 bytes) or double-length (16 bytes) key, in upper-case hex. */
    static String of(final byte[] key) {
        if (key.length != 8 && key.length != 16) {
            throw new IllegalArgumentException("a DES key is 8 or 16 bytes, not " + key.length);
        }
        final byte[] tripleLength = new byte[24];
        for (int i = 0; i < 24; i++) {
            // K, K, K for a single key; K1, K2, K1 for a double one (3DES keying option 2)
            tripleLength[i] = key[key.length == 8 ? i % 8 : i < 16 ? i : i - 16];
        }
        try {
            final Cipher cipher = Cipher.getInstance("DESede/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(tripleLength, "DESede"));
            return HexFormat.of().withUpperCase().formatHex(cipher.doFinal(new byte[8]));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no DESede/ECB/NoPadding", e);
        } finally {
            Arrays.fill(tripleLength, (byte) 0);
        }
    }

    /** Whether {@code given} (4 to 16 hex digits) is how {@code key}'s check value starts. */
    static boolean matches(final byte[] key, final String given) {
        return of(key).startsWith(given.toUpperCase(java.util.Locale.ROOT));
    }
}
