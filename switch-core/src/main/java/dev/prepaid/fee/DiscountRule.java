package dev.prepaid.fee;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * An operator-funded discount on purchases at a merchant: the card pays less, the merchant still gets the
 * full price and the operator books the difference as promotion expense (domain-rules §3).
 *
 * @param cardTypeId 0 for every type
 * @param minPurchaseFen smallest purchase that gets the discount
 * @param capFen largest discount per purchase (0: no cap)
 */
public record DiscountRule(
        long ruleId,
        int merchantIndex,
        int cardTypeId,
        int fromDay,
        int toDay,
        int priority,
        long ratePpm,
        long minPurchaseFen,
        long capFen) {

    public boolean matches(final int cardType, final int day) {
        return (cardTypeId == 0 || cardTypeId == cardType) && day >= fromDay && day <= toDay;
    }

    /** Kind tag of a discount rule in the state. */
    static final int STORED_KIND = 2;

    void writeTo(final StateWriter out) {
        out.i8(STORED_KIND);
        out.i64(ruleId);
        out.i32(merchantIndex);
        out.i32(cardTypeId);
        out.i32(fromDay);
        out.i32(toDay);
        out.i32(priority);
        out.i64(ratePpm);
        out.i64(minPurchaseFen);
        out.i64(capFen);
    }

    /** The rule after its kind tag. */
    static DiscountRule readFrom(final StateReader in) {
        return new DiscountRule(in.i64(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i64(), in.i64(), in.i64());
    }
}
