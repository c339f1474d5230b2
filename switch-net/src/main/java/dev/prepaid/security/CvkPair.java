package dev.prepaid.security;

/**
 * A card type's pair of card verification keys (KeyA, KeyB) for the Visa CVV method, held as one double-length
 * key KeyA‖KeyB: the last three steps of the method, DES(KeyA) · DES⁻¹(KeyB) · DES(KeyA), are exactly 3DES EDE
 * under KeyA‖KeyB, and the first is single DES under KeyA. Immutable; share it between threads.
 */
public final class CvkPair {
    private final DesKey keys;

    private CvkPair(final DesKey keys) {
        this.keys = keys;
    }

    /** From a double-length key KeyA‖KeyB (KeyA may equal KeyB). */
    public static CvkPair of(final DesKey keyAThenKeyB) {
        if (!keyAThenKeyB.isDoubleLength()) {
            throw new IllegalArgumentException("a CVK pair is a double-length key KeyA||KeyB");
        }
        return new CvkPair(keyAThenKeyB);
    }

    /** From two single-length keys. */
    public static CvkPair of(final DesKey keyA, final DesKey keyB) {
        return new CvkPair(DesKey.concat(keyA, keyB));
    }

    /** DES(KeyA, block) in place. */
    void encryptWithKeyA(final byte[] block, final int offset) {
        keys.encryptBlockFirstHalf(block, offset, block, offset);
    }

    /** DES(KeyA, DES⁻¹(KeyB, DES(KeyA, block))) in place. */
    void encryptEde(final byte[] block, final int offset) {
        keys.encryptBlock(block, offset, block, offset);
    }

    @Override
    public String toString() {
        return "CvkPair[kcv=" + keys.checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH) + "]";
    }
}
