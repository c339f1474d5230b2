package dev.prepaid.security;

import org.bouncycastle.crypto.params.DESParameters;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The working keys of one sign-on: PIK, MAK and, for layout 004, TDK (pos-iso8583 §8). The switch
 * {@link #generate generates} fresh ones at every sign-on and sends them in the 0810 field 62 under the
 * terminal's TMK ({@link #writeField62}); the terminal (the POS simulator) {@link #fromField62 decrypts} them
 * and verifies their check values. Immutable.
 */
public final class WorkingKeys {
    /** Draws of random key material before the random source is declared broken. */
    static final int MAX_DRAWS = 16;

    private final KeyLayout layout;
    private final DesKey pik;
    private final DesKey mak;
    private final DesKey tdk;

    private WorkingKeys(final KeyLayout layout, final DesKey pik, final DesKey mak, final DesKey tdk) {
        this.layout = layout;
        this.pik = pik;
        this.mak = mak;
        this.tdk = tdk;
    }

    /**
     * Fresh random keys for {@code layout}: odd parity, no DES weak or semi-weak half, and double-length keys
     * with distinct halves (so 3DES does not collapse to single DES).
     */
    public static WorkingKeys generate(final KeyLayout layout, final SecureRandom random) {
        final DesKey pik = randomKey(layout.pikLength(), random);
        final DesKey mak = randomKey(layout.makLength(), random);
        final DesKey tdk = layout.hasTrackKey() ? randomKey(DesKey.DOUBLE_LENGTH, random) : null;
        return new WorkingKeys(layout, pik, mak, tdk);
    }

    /**
     * Working keys given explicitly (simulator and tests).
     *
     * @param tdk required for 004, {@code null} otherwise
     */
    public static WorkingKeys of(final KeyLayout layout, final DesKey pik, final DesKey mak, final DesKey tdk) {
        if (pik.length() != layout.pikLength()) {
            throw new IllegalArgumentException("layout " + layout + " needs a " + layout.pikLength() + "-byte PIK");
        }
        if (mak.length() != layout.makLength()) {
            throw new IllegalArgumentException("the MAK is single-length in every layout");
        }
        if (layout.hasTrackKey() != (tdk != null) || (tdk != null && !tdk.isDoubleLength())) {
            throw new IllegalArgumentException("layout " + layout
                + (layout.hasTrackKey() ? " needs a double-length TDK" : " has no TDK"));
        }
        return new WorkingKeys(layout, pik, mak, tdk);
    }

    static DesKey randomKey(final int length, final SecureRandom random) {
        final byte[] bytes = new byte[length];
        try {
            // A rejected draw has probability about 2^-52, so needing many means the random source is broken.
            for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
                random.nextBytes(bytes);
                DesKey.setOddParity(bytes, 0, length);
                if (isUsable(bytes)) {
                    return DesKey.of(bytes);
                }
            }
            throw new KeyMaterialException("the random source gave " + MAX_DRAWS
                + " weak or degenerate DES keys in a row: it is broken");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean isUsable(final byte[] key) {
        for (int half = 0; half < key.length; half += DesKey.SINGLE_LENGTH) {
            if (DESParameters.isWeakKey(key, half)) {
                return false;
            }
        }
        return key.length == DesKey.SINGLE_LENGTH
            || !ConstantTime.equals(key, 0, key, DesKey.SINGLE_LENGTH, DesKey.SINGLE_LENGTH);
    }

    /**
     * Writes field 62 for this layout: each key under {@code tmk} (3DES ECB, or DES for a single-length TMK)
     * followed by the first 4 bytes of its check value; the MAK's 8-byte cryptogram repeated in the second half
     * of a 16-byte slot.
     *
     * @return the number of bytes written, {@link KeyLayout#field62Length()}
     */
    public int writeField62(final DesKey tmk, final byte[] out, final int offset) {
        final int length = layout.field62Length();
        if (out.length - offset < length) {
            throw new IllegalArgumentException("field 62 of layout " + layout + " needs " + length + " bytes");
        }
        putKey(tmk, pik, out, offset + layout.pikOffset());
        pik.checkValue(out, offset + layout.pikCheckValueOffset(), KeyLayout.CHECK_VALUE_LENGTH);
        putKey(tmk, mak, out, offset + layout.makOffset());
        if (layout.makSlotLength() > layout.makLength()) {
            System.arraycopy(out, offset + layout.makOffset(), out, offset + layout.makOffset() + layout.makLength(),
                layout.makLength());
        }
        mak.checkValue(out, offset + layout.makCheckValueOffset(), KeyLayout.CHECK_VALUE_LENGTH);
        if (tdk != null) {
            putKey(tmk, tdk, out, offset + layout.tdkOffset());
            tdk.checkValue(out, offset + layout.tdkCheckValueOffset(), KeyLayout.CHECK_VALUE_LENGTH);
        }
        return length;
    }

    /** Field 62 as a new array. */
    public byte[] field62(final DesKey tmk) {
        final byte[] out = new byte[layout.field62Length()];
        writeField62(tmk, out, 0);
        return out;
    }

    private static void putKey(final DesKey tmk, final DesKey key, final byte[] out, final int offset) {
        key.copyClearTo(out, offset);
        tmk.encryptEcb(out, offset, key.length(), out, offset);
    }

    /**
     * The terminal side: decrypts the keys of a received field 62 under {@code tmk} and verifies each check
     * value. The second half of a 16-byte MAK slot is ignored (decode generously: only the first 8 bytes are
     * the MAK).
     *
     * @throws KeyMaterialException when the length is not the layout's or a check value does not match (which
     *                              usually means the terminal and the switch hold different TMKs)
     */
    public static WorkingKeys fromField62(
        final KeyLayout layout, final DesKey tmk, final byte[] field62, final int offset, final int length) {
        if (length != layout.field62Length()) {
            throw new KeyMaterialException("field 62 of layout 00" + layout.networkManagementCode() + " is "
                + layout.field62Length() + " bytes, received " + length);
        }
        final DesKey pik = takeKey(layout, "PIK", tmk, field62, offset + layout.pikOffset(), layout.pikLength(),
            offset + layout.pikCheckValueOffset());
        final DesKey mak = takeKey(layout, "MAK", tmk, field62, offset + layout.makOffset(), layout.makLength(),
            offset + layout.makCheckValueOffset());
        final DesKey tdk = layout.hasTrackKey()
            ? takeKey(layout, "TDK", tmk, field62, offset + layout.tdkOffset(), DesKey.DOUBLE_LENGTH,
                offset + layout.tdkCheckValueOffset())
            : null;
        return new WorkingKeys(layout, pik, mak, tdk);
    }

    private static DesKey takeKey(
        final KeyLayout layout, final String name, final DesKey tmk, final byte[] field62, final int keyOffset,
        final int keyLength, final int checkValueOffset) {
        final byte[] clear = new byte[keyLength];
        try {
            tmk.decryptEcb(field62, keyOffset, keyLength, clear, 0);
            final DesKey key = DesKey.of(clear);
            if (!key.checkValueMatches(field62, checkValueOffset, KeyLayout.CHECK_VALUE_LENGTH)) {
                throw new KeyMaterialException("field 62 (layout 00" + layout.networkManagementCode() + "): " + name
                    + " check value mismatch: received "
                    + Hex.encode(field62, checkValueOffset, KeyLayout.CHECK_VALUE_LENGTH) + ", decrypted key gives "
                    + key.checkValueHex(KeyLayout.CHECK_VALUE_LENGTH) + " (different TMK, or damaged field 62)");
            }
            return key;
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    public KeyLayout layout() {
        return layout;
    }

    public DesKey pik() {
        return pik;
    }

    /** The single-length MAK. */
    public DesKey mak() {
        return mak;
    }

    /** The track data key (layout 004), or {@code null}. */
    public DesKey tdk() {
        return tdk;
    }

    @Override
    public String toString() {
        return "WorkingKeys[" + layout + ", pik=" + pik.checkValueHex(KeyLayout.CHECK_VALUE_LENGTH)
            + ", mak=" + mak.checkValueHex(KeyLayout.CHECK_VALUE_LENGTH)
            + (tdk != null ? ", tdk=" + tdk.checkValueHex(KeyLayout.CHECK_VALUE_LENGTH) : "") + "]";
    }
}
