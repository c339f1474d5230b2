package dev.prepaid.pos;

/**
 * What a void, refund, cancel or completion needs of the transaction it refers to: the card (swiped again or
 * keyed in again), the amount, where it sits (batch and STAN, field 61), the switch's RRN (37) and
 * authorisation code (38), and its date MMDD (61.3). Usually {@link PosResult#original()}; built by hand for a
 * transaction made elsewhere (another run of the command).
 *
 * @param dateMmdd the original's date as MMDD (the switch's field 13), or −1 to use today's
 * @param rrn      null when unknown (refused for operations that send 37)
 * @param authCode null when unknown (refused for operations that send 38)
 */
public record Original(PosOperation operation, Card card, long amount, int batch, int stan, String rrn,
        String authCode, int dateMmdd) {
    public Original {
        if (card == null) {
            throw new IllegalArgumentException("an original needs its card");
        }
        if (amount < 0 || batch < 0 || batch > 999_999 || stan < 0 || stan > 999_999) {
            throw new IllegalArgumentException("original amount, batch or STAN out of range");
        }
    }
}
