package dev.prepaid.security;

import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

import java.util.Arrays;

/**
 * A clear DES key set up for use: single length (8 bytes, DES) or double length (16 bytes K1‖K2, 3DES EDE with
 * K3 = K1). Immutable and safe to share between threads once built; encrypting or decrypting a block allocates
 * nothing, because the MAC and PIN paths run per message on the I/O threads.
 *
 * <p>Why four {@link DESEngine}s instead of BouncyCastle's {@code DESedeEngine}: {@code DESedeEngine.processBlock}
 * allocates an 8-byte temporary per block, and its working keys are tied to one direction. Composing EDE from
 * single-DES engines (E_K1, D_K1, E_K2, D_K2) working in place on the output block gives the same result (a test
 * checks it against {@code DESedeEngine}) without allocation, and also gives the MACs the single-DES K1 step
 * they need. {@link DESEngine#processBlock} reads the whole input block before writing, so in-place use is safe.
 *
 * <p>Keys are compared by identity ({@code equals} is not overridden) so that nothing hashes clear key bytes;
 * use {@link #sameKeyAs} to compare values. {@link #toString} shows the length and check value only.
 * Parity bits are ignored by DES and are not enforced here: published TMKs (the sign-on vector) are not
 * odd-parity, while keys this switch generates are.
 */
public final class DesKey {
    public static final int BLOCK_LENGTH = 8;
    public static final int SINGLE_LENGTH = 8;
    public static final int DOUBLE_LENGTH = 16;
    /** Bytes of the check value written in key files, tools and logs (field 62 carries 4). */
    public static final int DISPLAY_CHECK_VALUE_LENGTH = 3;

    private static final byte[] ZERO_BLOCK = new byte[BLOCK_LENGTH];

    // A clear copy is kept because keys are re-encrypted (under the MFK for the key file, under the TMK for
    // field 62) and split (CVK halves, HMAC key of the PVK). It never leaves this package.
    private final byte[] clear;
    private final DESEngine encrypt1;
    private final DESEngine decrypt1;
    private final DESEngine encrypt2;
    private final DESEngine decrypt2;

    private DesKey(final byte[] source, final int offset, final int length) {
        if (length != SINGLE_LENGTH && length != DOUBLE_LENGTH) {
            throw new IllegalArgumentException("a DES key is 8 or 16 bytes, not " + length);
        }
        clear = Arrays.copyOfRange(source, offset, offset + length);
        encrypt1 = engine(true, clear, 0);
        decrypt1 = engine(false, clear, 0);
        if (length == DOUBLE_LENGTH) {
            encrypt2 = engine(true, clear, SINGLE_LENGTH);
            decrypt2 = engine(false, clear, SINGLE_LENGTH);
        } else {
            encrypt2 = null;
            decrypt2 = null;
        }
    }

    private static DESEngine engine(final boolean forEncryption, final byte[] key, final int offset) {
        final DESEngine engine = new DESEngine();
        final byte[] half = Arrays.copyOfRange(key, offset, offset + SINGLE_LENGTH);
        engine.init(forEncryption, new KeyParameter(half));
        Arrays.fill(half, (byte) 0);
        return engine;
    }

    /** A key from 8 or 16 clear bytes (copied). */
    public static DesKey of(final byte[] key) {
        return new DesKey(key, 0, key.length);
    }

    /** A key from {@code length} (8 or 16) clear bytes at {@code offset} (copied). */
    public static DesKey of(final byte[] key, final int offset, final int length) {
        return new DesKey(key, offset, length);
    }

    /** A key from 16 or 32 hex digits (tests and tools; the hex is not echoed on error). */
    public static DesKey fromHex(final CharSequence hex) {
        final byte[] bytes = Hex.decode(hex);
        try {
            return new DesKey(bytes, 0, bytes.length);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A double-length key K1‖K2 made of two single-length keys. */
    public static DesKey concat(final DesKey first, final DesKey second) {
        if (first.isDoubleLength() || second.isDoubleLength()) {
            throw new IllegalArgumentException("both halves must be single-length keys");
        }
        final byte[] both = new byte[DOUBLE_LENGTH];
        System.arraycopy(first.clear, 0, both, 0, SINGLE_LENGTH);
        System.arraycopy(second.clear, 0, both, SINGLE_LENGTH, SINGLE_LENGTH);
        try {
            return new DesKey(both, 0, DOUBLE_LENGTH);
        } finally {
            Arrays.fill(both, (byte) 0);
        }
    }

    /** 8 or 16. */
    public int length() {
        return clear.length;
    }

    public boolean isDoubleLength() {
        return encrypt2 != null;
    }

    /** Encrypts one 8-byte block: DES, or 3DES EDE for a double-length key. {@code out} may be {@code in}. */
    public void encryptBlock(final byte[] in, final int inOffset, final byte[] out, final int outOffset) {
        encrypt1.processBlock(in, inOffset, out, outOffset);
        if (encrypt2 != null) {
            decrypt2.processBlock(out, outOffset, out, outOffset);
            encrypt1.processBlock(out, outOffset, out, outOffset);
        }
    }

    /** Decrypts one 8-byte block: DES, or 3DES DED for a double-length key. {@code out} may be {@code in}. */
    public void decryptBlock(final byte[] in, final int inOffset, final byte[] out, final int outOffset) {
        decrypt1.processBlock(in, inOffset, out, outOffset);
        if (encrypt2 != null) {
            encrypt2.processBlock(out, outOffset, out, outOffset);
            decrypt1.processBlock(out, outOffset, out, outOffset);
        }
    }

    /**
     * Single DES under K1 (the whole key when single-length). The CUP MAC with a double-length MAK and the
     * chaining steps of X9.9/X9.19 are single DES under the first half.
     */
    public void encryptBlockFirstHalf(final byte[] in, final int inOffset, final byte[] out, final int outOffset) {
        encrypt1.processBlock(in, inOffset, out, outOffset);
    }

    /** ECB encryption of {@code length} bytes, a multiple of 8. {@code out} may be {@code in} at the same offset. */
    public void encryptEcb(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset) {
        requireWholeBlocks(length);
        for (int i = 0; i < length; i += BLOCK_LENGTH) {
            encryptBlock(in, inOffset + i, out, outOffset + i);
        }
    }

    /** ECB decryption of {@code length} bytes, a multiple of 8. {@code out} may be {@code in} at the same offset. */
    public void decryptEcb(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset) {
        requireWholeBlocks(length);
        for (int i = 0; i < length; i += BLOCK_LENGTH) {
            decryptBlock(in, inOffset + i, out, outOffset + i);
        }
    }

    private static void requireWholeBlocks(final int length) {
        if (length <= 0 || length % BLOCK_LENGTH != 0) {
            throw new IllegalArgumentException("ECB data must be whole 8-byte blocks, not " + length + " bytes");
        }
    }

    /**
     * Writes the first {@code length} (1–8) bytes of the key check value, the encryption of 8 zero bytes with
     * this key, at {@code out[offset..)}.
     */
    public void checkValue(final byte[] out, final int offset, final int length) {
        if (length < 1 || length > BLOCK_LENGTH) {
            throw new IllegalArgumentException("a check value is 1 to 8 bytes, not " + length);
        }
        final byte[] block = new byte[BLOCK_LENGTH];
        encryptBlock(ZERO_BLOCK, 0, block, 0);
        System.arraycopy(block, 0, out, offset, length);
    }

    /** The first {@code length} bytes of the check value. */
    public byte[] checkValue(final int length) {
        final byte[] out = new byte[length];
        checkValue(out, 0, length);
        return out;
    }

    /** The first {@code length} bytes of the check value as upper-case hex: safe to print. */
    public String checkValueHex(final int length) {
        return Hex.encode(checkValue(length));
    }

    /**
     * Whether {@code expected[offset..+length)} (1–8 bytes) is the start of this key's check value, compared
     * in constant time.
     */
    public boolean checkValueMatches(final byte[] expected, final int offset, final int length) {
        final byte[] actual = checkValue(length);
        return ConstantTime.equals(actual, 0, expected, offset, length);
    }

    /** Whether every byte of the key has an odd number of set bits (the DES parity convention). */
    public boolean hasOddParity() {
        return isOddParity(clear, 0, clear.length);
    }

    /** Whether two keys have the same length and bytes (constant time). */
    public boolean sameKeyAs(final DesKey other) {
        return clear.length == other.clear.length && ConstantTime.equals(clear, 0, other.clear, 0, clear.length);
    }

    /** Whether the two halves of a double-length key are equal, which makes 3DES collapse to single DES. */
    public boolean hasEqualHalves() {
        return isDoubleLength() && ConstantTime.equals(clear, 0, clear, SINGLE_LENGTH, SINGLE_LENGTH);
    }

    /**
     * Whether a half is one of DES's 4 weak or 12 semi-weak keys (parity bits ignored): encrypting twice under a
     * weak key gives the plaintext back, so no key the switch stores may be one.
     */
    public boolean hasWeakHalf() {
        final byte[] withParity = clear.clone(); // DES ignores the parity bits, so 0000… is the weak 0101…
        try {
            setOddParity(withParity, 0, withParity.length);
            for (int half = 0; half < withParity.length; half += SINGLE_LENGTH) {
                if (org.bouncycastle.crypto.params.DESParameters.isWeakKey(withParity, half)) {
                    return true;
                }
            }
            return false;
        } finally {
            Arrays.fill(withParity, (byte) 0);
        }
    }

    /** Sets the low bit of each byte so that every byte has odd parity. */
    public static void setOddParity(final byte[] key, final int offset, final int length) {
        for (int i = offset; i < offset + length; i++) {
            final int high7 = key[i] & 0xFE;
            key[i] = (byte) (high7 | ((Integer.bitCount(high7) & 1) ^ 1));
        }
    }

    public static boolean isOddParity(final byte[] key, final int offset, final int length) {
        for (int i = offset; i < offset + length; i++) {
            if ((Integer.bitCount(key[i] & 0xFF) & 1) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Copies the clear key to {@code out[offset..+length())}; package-private so clear bytes stay here. */
    void copyClearTo(final byte[] out, final int offset) {
        System.arraycopy(clear, 0, out, offset, clear.length);
    }

    /** Single-length key made of one half (0 or 1) of this double-length key. */
    DesKey half(final int index) {
        if (!isDoubleLength() || index < 0 || index > 1) {
            throw new IllegalArgumentException("half " + index + " of a " + clear.length + "-byte key");
        }
        return new DesKey(clear, index * SINGLE_LENGTH, SINGLE_LENGTH);
    }

    @Override
    public String toString() {
        return "DesKey[" + (isDoubleLength() ? "double" : "single") + "-length, kcv="
            + checkValueHex(DISPLAY_CHECK_VALUE_LENGTH) + "]";
    }
}
