package dev.prepaid.config;

import java.util.regex.Pattern;

/**
 * Names of the entries of the key file ({@link dev.prepaid.security.StoredKeys}) the switch looks up:
 * <ul>
 *   <li>a terminal's TMK: the terminal's {@code keyReference} itself (the bootstrap and the demo use
 *       {@code tmk.<terminal id>});</li>
 *   <li>a card type's CVK pair (KeyA‖KeyB, double length): {@code cvk.<card type id>};</li>
 *   <li>the PIN verification key (double length): {@code pvk};</li>
 *   <li>a transport key (double length) under which a key loading facility or terminal vendor delivers TMKs
 *       as cryptograms: {@code tk.<name>}.</li>
 * </ul>
 */
public final class KeyNames {
    public static final String PIN_VERIFICATION_KEY = "pvk";
    public static final String CVK_PREFIX = "cvk.";
    public static final String TMK_PREFIX = "tmk.";
    public static final String TRANSPORT_PREFIX = "tk.";

    /** The names {@link #isRead} accepts, for a message that refuses another. */
    public static final String ACCEPTED_FORMS = "tmk.<name> (a terminal's keyReference: by default tmk.<terminal"
            + " id>; 1-60 of A-Z a-z 0-9 . _ - :), cvk.<card type id> (1-65535), pvk or tk.<name> (a transport key for TMK"
            + " cryptograms)";

    /**
     * What follows {@code tmk.} in a TMK's name: a terminal id by default, or any keyReference the bootstrap
     * gives a terminal (terminals may share a TMK), within the key file's 64 characters.
     */
    private static final Pattern TMK_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,60}");
    private static final int MAX_CARD_TYPE_ID = 65_535;

    private KeyNames() {
    }

    /** The key-file name of a card type's CVK pair. */
    public static String cvk(final int cardTypeId) {
        return CVK_PREFIX + cardTypeId;
    }

    /**
     * Whether the switch can ever look up a key of this name: a TMK ({@link #isTmk}), the CVK pair of a card type
     * id as {@link #cvk} spells it (no sign, no leading zero), the PIN verification key. Another name would sit in
     * the key file unused, and the terminal or card type it was meant for would still fail.
     */
    public static boolean isRead(final String name) {
        if (PIN_VERIFICATION_KEY.equals(name)) {
            return true;
        }
        if (name.startsWith(TMK_PREFIX)) {
            return isTmk(name);
        }
        if (name.startsWith(TRANSPORT_PREFIX)) {
            return isTransport(name);
        }
        if (name.startsWith(CVK_PREFIX)) {
            final String id = name.substring(CVK_PREFIX.length());
            if (!id.matches("[1-9][0-9]{0,4}")) {
                return false;
            }
            return Integer.parseInt(id) <= MAX_CARD_TYPE_ID;
        }
        return false;
    }

    /** Whether this can name a TMK: {@code tmk.} and 1-60 name characters (a terminal's keyReference must). */
    public static boolean isTmk(final String name) {
        return name.startsWith(TMK_PREFIX) && TMK_NAME.matcher(name.substring(TMK_PREFIX.length())).matches();
    }

    /** Whether this can name a transport key: {@code tk.} and 1-60 name characters. */
    public static boolean isTransport(final String name) {
        return name.startsWith(TRANSPORT_PREFIX) && TMK_NAME.matcher(name.substring(TRANSPORT_PREFIX.length())).matches();
    }

    /** The conventional key reference (key-file name) of a terminal's TMK. */
    public static String tmk(final String terminalId) {
        return TMK_PREFIX + terminalId;
    }
}
