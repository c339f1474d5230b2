package dev.prepaid.security;

import dev.prepaid.merchant.MacAlgorithm;
import java.util.Locale;

/**
 * The field 64 MAC functions, over a byte range of the message (the codec passes the MAC block:
 * MTI to the end of field 63, bit 64 set). Every algorithm pads with zero bytes to a multiple of 8 (an empty
 * range counts as one zero block) and writes exactly 8 bytes into a caller-supplied array; none allocates.
 * The key is the terminal's MAK from sign-on.
 */
public enum MacFunction {
    /**
     * CUP POS "ECB" MAC (pos-iso8583 §5): XOR all blocks into R; H = R as 16 upper-case hex ASCII characters;
     * E1 = DES(MAK, H[0..8)); E2 = DES(MAK, E1 XOR H[8..16)); MAC = the first 4 bytes of E2 as 8 upper-case hex
     * ASCII characters. Single DES under the first half of a double-length MAK.
     */
    CUP_ECB {
        @Override
        public void compute(
            final DesKey mak, final byte[] data, final int offset, final int length, final byte[] mac,
            final int macOffset) {
            final long r = xorOfBlocks(data, offset, length);
            // The 8-byte output doubles as the DES block, so no scratch array is needed.
            Hex.putIntAscii((int) (r >>> 32), mac, macOffset);
            mak.encryptBlockFirstHalf(mac, macOffset, mac, macOffset);
            final int low = (int) r;
            for (int i = 0; i < 8; i++) {
                mac[macOffset + i] ^= Hex.upperDigit(low >>> (28 - 4 * i));
            }
            mak.encryptBlockFirstHalf(mac, macOffset, mac, macOffset);
            final int e2High = (int) (Blocks.getLong(mac, macOffset) >>> 32);
            Hex.putIntAscii(e2High, mac, macOffset);
        }
    },

    /**
     * ANSI X9.19 retail MAC (ISO 9797-1 algorithm 3): DES-CBC under K1 over all blocks, then DES⁻¹(K2) and
     * DES(K1) on the last — equivalently, 3DES EDE for the last block. 8 binary bytes. With a single-length key it
     * is X9.9.
     */
    X9_19 {
        @Override
        public void compute(
            final DesKey mak, final byte[] data, final int offset, final int length, final byte[] mac,
            final int macOffset) {
            cbc(mak, data, offset, length, mac, macOffset, true);
        }
    },

    /** ANSI X9.9: DES-CBC with a zero IV under the (first half of the) key, 8 binary bytes. */
    X9_9 {
        @Override
        public void compute(
            final DesKey mak, final byte[] data, final int offset, final int length, final byte[] mac,
            final int macOffset) {
            cbc(mak, data, offset, length, mac, macOffset, false);
        }
    };

    /**
     * The function of a terminal's registered {@link MacAlgorithm} (the ledger's, the one enum of what a
     * terminal uses). X9_9 has no registration of its own: under the single-length MAK of every field 62
     * layout, X9.19 is X9.9; the simulator can still choose it.
     */
    public static MacFunction of(final MacAlgorithm algorithm) {
        return switch (algorithm) {
            case CUP_ECB -> CUP_ECB;
            case X9_19 -> X9_19;
        };
    }

    /** Bytes in field 64 for every algorithm. */
    public static final int MAC_LENGTH = 8;

    /**
     * Computes the MAC of {@code data[offset..offset+length)} under {@code mak} into
     * {@code mac[macOffset..macOffset+8)}. {@code mac} must not overlap the data.
     */
    public abstract void compute(DesKey mak, byte[] data, int offset, int length, byte[] mac, int macOffset);

    /**
     * Whether {@code received[receivedOffset..+8)} is the MAC of the data, compared in constant time.
     *
     * @param scratch 8 bytes the caller owns (one per I/O thread), overwritten
     */
    public boolean verify(
        final DesKey mak, final byte[] data, final int offset, final int length,
        final byte[] received, final int receivedOffset, final byte[] scratch) {
        compute(mak, data, offset, length, scratch, 0);
        return ConstantTime.equals(scratch, 0, received, receivedOffset, MAC_LENGTH);
    }

    /**
     * The algorithm named in configuration: the constant name or a common spelling, case-insensitive
     * ({@code cup-ecb}, {@code ecb}, {@code x9.19}, {@code x919}, {@code x9.9}, {@code x99}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static MacFunction parse(final String name) {
        final String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
        switch (normalized) {
            case "CUP_ECB":
            case "ECB":
            case "CUP":
                return CUP_ECB;
            case "X9_19":
            case "X919":
            case "RETAIL":
                return X9_19;
            case "X9_9":
            case "X99":
                return X9_9;
            default:
                throw new IllegalArgumentException(
                    "unknown MAC algorithm '" + name + "': expected cup-ecb, x9.19 or x9.9");
        }
    }

    private static long xorOfBlocks(final byte[] data, final int offset, final int length) {
        long r = 0;
        for (int i = 0; i < length; i++) {
            r ^= (long) (data[offset + i] & 0xFF) << (56 - 8 * (i & 7));
        }
        return r;
    }

    /** CBC-MAC with a zero IV and zero padding; the last block under the full key when {@code retail}. */
    private static void cbc(
        final DesKey mak, final byte[] data, final int offset, final int length, final byte[] mac,
        final int macOffset, final boolean retail) {
        for (int i = 0; i < MAC_LENGTH; i++) {
            mac[macOffset + i] = 0;
        }
        final int blocks = Math.max(1, (length + MAC_LENGTH - 1) / MAC_LENGTH);
        for (int b = 0; b < blocks; b++) {
            final int start = b * MAC_LENGTH;
            final int end = Math.min(length, start + MAC_LENGTH);
            for (int i = start; i < end; i++) {
                mac[macOffset + i - start] ^= data[offset + i];
            }
            if (retail && b == blocks - 1) {
                mak.encryptBlock(mac, macOffset, mac, macOffset);
            } else {
                mak.encryptBlockFirstHalf(mac, macOffset, mac, macOffset);
            }
        }
    }
}
