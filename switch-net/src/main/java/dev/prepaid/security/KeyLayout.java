package dev.prepaid.security;

/**
 * The 0810 field 62 layouts, chosen by the sign-on's network management code 60.3 (pos-iso8583 §8). Each key is
 * encrypted under the TMK (3DES ECB) and followed by its 4-byte check value; the MAK is always single-length.
 * <pre>
 * 001  PIK(8)@0  KCV@8   MAK(8)@12       KCV@20                     24 bytes
 * 003  PIK(16)@0 KCV@16  MAK slot(16)@20 KCV@36                     40 bytes
 * 004  the 003 layout, then              TDK(16)@40 KCV@56          60 bytes
 * </pre>
 * In a 16-byte MAK slot the first 8 bytes are the MAK under the TMK and the switch repeats them in the second
 * half.
 */
public enum KeyLayout {
    SINGLE_LENGTH(1, DesKey.SINGLE_LENGTH, DesKey.SINGLE_LENGTH, false),
    DOUBLE_LENGTH(3, DesKey.DOUBLE_LENGTH, DesKey.DOUBLE_LENGTH, false),
    DOUBLE_LENGTH_WITH_TRACK_KEY(4, DesKey.DOUBLE_LENGTH, DesKey.DOUBLE_LENGTH, true);

    /** Bytes of a key check value in field 62. */
    public static final int CHECK_VALUE_LENGTH = 4;

    private final int networkManagementCode;
    private final int pikLength;
    private final int makSlotLength;
    private final boolean hasTrackKey;

    KeyLayout(final int networkManagementCode, final int pikLength, final int makSlotLength,
        final boolean hasTrackKey) {
        this.networkManagementCode = networkManagementCode;
        this.pikLength = pikLength;
        this.makSlotLength = makSlotLength;
        this.hasTrackKey = hasTrackKey;
    }

    /** The layout for 60.3 (1, 3 or 4), or {@code null} for any other code. */
    public static KeyLayout forNetworkManagementCode(final int code) {
        switch (code) {
            case 1: return SINGLE_LENGTH;
            case 3: return DOUBLE_LENGTH;
            case 4: return DOUBLE_LENGTH_WITH_TRACK_KEY;
            default: return null;
        }
    }

    /** 60.3 of the sign-on: 1, 3 or 4. */
    public int networkManagementCode() {
        return networkManagementCode;
    }

    /** 8 (001) or 16 (003, 004). */
    public int pikLength() {
        return pikLength;
    }

    /** The MAK itself is always single-length. */
    public int makLength() {
        return DesKey.SINGLE_LENGTH;
    }

    public boolean hasTrackKey() {
        return hasTrackKey;
    }

    public int pikOffset() {
        return 0;
    }

    public int pikCheckValueOffset() {
        return pikLength;
    }

    public int makOffset() {
        return pikLength + CHECK_VALUE_LENGTH;
    }

    /** 8 (001) or 16 (003, 004). */
    public int makSlotLength() {
        return makSlotLength;
    }

    public int makCheckValueOffset() {
        return makOffset() + makSlotLength;
    }

    /** Offset of the TDK (004 only). */
    public int tdkOffset() {
        return makCheckValueOffset() + CHECK_VALUE_LENGTH;
    }

    public int tdkCheckValueOffset() {
        return tdkOffset() + DesKey.DOUBLE_LENGTH;
    }

    /** 24, 40 or 60. */
    public int field62Length() {
        return hasTrackKey ? tdkCheckValueOffset() + CHECK_VALUE_LENGTH : makCheckValueOffset() + CHECK_VALUE_LENGTH;
    }
}
