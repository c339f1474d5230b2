package dev.prepaid.pos;

import dev.prepaid.security.Hex;

/**
 * A reversal the terminal owes the switch: the 0400 built from a request that got no usable answer (a copy of
 * it without 26, 35, 36, 52, 53 and 64, with field 39 = the reason), sent before the terminal's next
 * transaction until the switch answers {@code 00}. The MAC is computed when it is sent, with the MAK of that
 * moment. Holds no track data and no PIN block.
 *
 * @param operation what is reversed
 * @param stan      the STAN of the original (and of the 0400)
 * @param reason    field 39: {@code 98} no answer, {@code A0} MAC error, {@code 06} other
 * @param message   the 0400 frame body (TPDU to field 63, bit 64 not set)
 */
public record PendingReversal(PosOperation operation, int stan, String reason, byte[] message) {
    public static final String REASON_TIMEOUT = "98";
    public static final String REASON_MAC = "A0";
    public static final String REASON_OTHER = "06";

    public PendingReversal {
        message = message.clone();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    @Override
    public String toString() {
        return "PendingReversal[" + operation + ", stan " + Card.pad(stan, 6) + ", reason " + reason + ", "
                + message.length + " bytes]";
    }

    /** The message as hex (for the terminal's state file). */
    String messageHex() {
        return Hex.encode(message);
    }
}
