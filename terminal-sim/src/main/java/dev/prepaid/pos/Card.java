package dev.prepaid.pos;

import dev.prepaid.security.Cvn;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.Track2;

/**
 * A card as the terminal reads it, and the PIN the card holder types: either swiped (track 2 in field 35,
 * entry mode 02) or keyed in (PAN in field 2 and expiry in field 14, entry mode 01). Immutable.
 *
 * <p>The PAN is checked only for what the wire needs (1–19 digits): a simulator must be able to send a number
 * with a bad check digit or the wrong length to see it declined {@code 14}. A PIN block needs a PAN of 13–19
 * digits. {@link #toString()} masks the PAN and never shows the track or the PIN.
 */
public final class Card {
    /** Track 2 region (service) code used when none is given. */
    public static final int DEFAULT_SERVICE_CODE = 120;

    private final String pan;
    private final int expiryYymm;
    private final String track2;
    private final String pin;

    private Card(final String pan, final int expiryYymm, final String track2, final String pin) {
        this.pan = pan;
        this.expiryYymm = expiryYymm;
        this.track2 = track2;
        this.pin = pin;
    }

    /** A keyed-in card (field 2 + 14), without a PIN. */
    public static Card manual(final String pan, final int expiryYymm) {
        return new Card(checkPan(pan), checkExpiry(expiryYymm), null, null);
    }

    /** A swiped card with this track 2 ({@code PAN=YYMM...}; {@code D} is accepted as the separator). */
    public static Card swiped(final String track2) {
        final Track2 parser = new Track2();
        final int result = parser.parse(track2);
        if (result != Track2.OK) {
            throw new IllegalArgumentException("bad track 2: " + Track2.describe(result));
        }
        final String digits = new String(parser.digits(), 0, parser.length(),
                java.nio.charset.StandardCharsets.US_ASCII);
        final Card card = new Card(digits.substring(0, parser.panLength()), parser.expiryYymm(), digits, null);
        parser.clear();
        return card;
    }

    /**
     * A swiped card whose track 2 is built as an issuer would: {@code PAN=YYMM} + service code + the CVN computed
     * with the card type's CVK pair (pos-iso8583 §8) + {@code discretionary} digits (may be empty).
     */
    public static Card swiped(final String pan, final int expiryYymm, final int serviceCode, final CvkPair cvk,
            final String discretionary) {
        checkPan(pan);
        checkExpiry(expiryYymm);
        if (serviceCode < 0 || serviceCode > 999) {
            throw new IllegalArgumentException("service code must be 3 digits, not " + serviceCode);
        }
        if (!discretionary.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("track 2 discretionary data must be digits");
        }
        final int cvn = new Cvn().compute(cvk, pan, expiryYymm, serviceCode);
        if (cvn < 0) {
            throw new IllegalArgumentException("cannot compute a CVN for this PAN");
        }
        final String track = pan + '=' + pad(expiryYymm, 4) + pad(serviceCode, 3) + pad(cvn, 3) + discretionary;
        if (track.length() > Track2.MAX_LENGTH) {
            throw new IllegalArgumentException("track 2 of " + track.length() + " characters, max "
                    + Track2.MAX_LENGTH);
        }
        return swiped(track);
    }

    /** As {@link #swiped(String, int, int, CvkPair, String)} with no discretionary digits. */
    public static Card swiped(final String pan, final int expiryYymm, final int serviceCode, final CvkPair cvk) {
        return swiped(pan, expiryYymm, serviceCode, cvk, "");
    }

    /** This card with the PIN the card holder will type (4–12 digits), or {@code null} for none. */
    public Card withPin(final String newPin) {
        if (newPin != null && (newPin.length() < 4 || newPin.length() > 12
                || !newPin.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("a PIN is 4 to 12 digits");
        }
        return new Card(pan, expiryYymm, track2, newPin);
    }

    private static String checkPan(final String pan) {
        if (pan == null || pan.isEmpty() || pan.length() > 19 || !pan.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a PAN is 1 to 19 digits");
        }
        return pan;
    }

    private static int checkExpiry(final int yymm) {
        if (yymm < 0 || yymm > 9999 || yymm % 100 > 12) {
            throw new IllegalArgumentException("expiry must be YYMM, not " + yymm);
        }
        return yymm;
    }

    static String pad(final long value, final int digits) {
        final String text = Long.toString(value);
        return text.length() >= digits ? text : "0".repeat(digits - text.length()) + text;
    }

    public String pan() {
        return pan;
    }

    /** Expiry as the number YYMM (e.g. 2712). */
    public int expiryYymm() {
        return expiryYymm;
    }

    /** Track 2 with {@code =} as separator, or {@code null} for a keyed-in card. */
    public String track2() {
        return track2;
    }

    public boolean swiped() {
        return track2 != null;
    }

    /** The PIN the card holder types, or {@code null}. */
    public String pin() {
        return pin;
    }

    /** First 6 and last 4 digits, the rest {@code *}. */
    public String maskedPan() {
        return mask(pan);
    }

    /** A PAN masked as logs show it: first 6 and last 4 digits. */
    public static String mask(final String pan) {
        if (pan == null) {
            return "-";
        }
        if (pan.length() <= 10) {
            return "*".repeat(pan.length());
        }
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    @Override
    public String toString() {
        return "Card[" + maskedPan() + ", " + (swiped() ? "track 2" : "manual") + ", "
                + (pin != null ? "PIN" : "no PIN") + "]";
    }
}
