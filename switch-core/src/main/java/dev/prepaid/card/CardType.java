package dev.prepaid.card;

import dev.prepaid.command.PosKind;

/**
 * A card product (domain-rules §2). Immutable: an update replaces the whole product, and every card of the
 * type follows the new rules from that command on. Limits of 0 mean "no limit of this kind" (the
 * regulatory balance cap still applies).
 *
 * @param permittedKinds mask of {@link PosKind#bit()} of the POS transactions the type allows
 * @param pinRequiredKinds mask of the transactions that need a PIN
 * @param pointsPerYuan loyalty points earned per whole yuan paid, unless a points rule says otherwise
 * @param onSale whether new cards of the type may be generated and sold
 */
public record CardType(
        int id,
        String name,
        String issuerCode,
        boolean named,
        long balanceCap,
        long initialBalance,
        long deposit,
        long issuanceFee,
        long replacementFee,
        long lostReportFee,
        boolean rechargeable,
        int validityMonths,
        int permittedKinds,
        int pinRequiredKinds,
        int pinTries,
        long singleLimit,
        long dailyAmountLimit,
        int dailyCountLimit,
        long monthlyAmountLimit,
        int monthlyCountLimit,
        int pointsPerYuan,
        boolean onSale) {

    public boolean permits(final PosKind kind) {
        return (permittedKinds & kind.bit()) != 0;
    }

    public boolean requiresPin(final PosKind kind) {
        return (pinRequiredKinds & kind.bit()) != 0;
    }
}
