package dev.prepaid.config;

/**
 * Names of the entries of the key file ({@link dev.prepaid.security.StoredKeys}) the switch looks up:
 * <ul>
 *   <li>a terminal's TMK: the terminal's {@code keyReference} itself (the bootstrap and the demo use
 *       {@code tmk.<terminal id>});</li>
 *   <li>a card type's CVK pair (KeyA‖KeyB, double length): {@code cvk.<card type id>};</li>
 *   <li>the PIN verification key (double length): {@code pvk}.</li>
 * </ul>
 */
public final class KeyNames {
    public static final String PIN_VERIFICATION_KEY = "pvk";
    public static final String CVK_PREFIX = "cvk.";
    public static final String TMK_PREFIX = "tmk.";

    private KeyNames() {
    }

    /** The key-file name of a card type's CVK pair. */
    public static String cvk(final int cardTypeId) {
        return CVK_PREFIX + cardTypeId;
    }

    /** The conventional key reference (key-file name) of a terminal's TMK. */
    public static String tmk(final String terminalId) {
        return TMK_PREFIX + terminalId;
    }
}
