package dev.prepaid.card;

import dev.prepaid.command.PosKind;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

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

    public void writeTo(final StateWriter out) {
        out.i32(id);
        out.string(name);
        out.string(issuerCode);
        out.bool(named);
        out.i64(balanceCap);
        out.i64(initialBalance);
        out.i64(deposit);
        out.i64(issuanceFee);
        out.i64(replacementFee);
        out.i64(lostReportFee);
        out.bool(rechargeable);
        out.i32(validityMonths);
        out.i32(permittedKinds);
        out.i32(pinRequiredKinds);
        out.i32(pinTries);
        out.i64(singleLimit);
        out.i64(dailyAmountLimit);
        out.i32(dailyCountLimit);
        out.i64(monthlyAmountLimit);
        out.i32(monthlyCountLimit);
        out.i32(pointsPerYuan);
        out.bool(onSale);
    }

    public static CardType readFrom(final StateReader in) {
        return new CardType(in.i32(), in.string(), in.string(), in.bool(), in.i64(), in.i64(), in.i64(), in.i64(), in.i64(),
                in.i64(), in.bool(), in.i32(), in.i32(), in.i32(), in.i32(), in.i64(), in.i64(), in.i32(), in.i64(), in.i32(),
                in.i32(), in.bool());
    }
}
