package dev.prepaid.fee;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * Loyalty points earned at a merchant, overriding the card type's own rate.
 *
 * @param merchantIndex -1 for every merchant
 * @param cardTypeId 0 for every type
 */
public record PointsRule(
        long ruleId,
        int merchantIndex,
        int cardTypeId,
        int fromDay,
        int toDay,
        int priority,
        int pointsPerYuan) {

    public boolean matches(final int merchant, final int cardType, final int day) {
        return (merchantIndex < 0 || merchantIndex == merchant) && (cardTypeId == 0 || cardTypeId == cardType)
                && day >= fromDay && day <= toDay;
    }

    /** Kind tag of a points rule in the state. */
    static final int STORED_KIND = 3;

    void writeTo(final StateWriter out) {
        out.i8(STORED_KIND);
        out.i64(ruleId);
        out.i32(merchantIndex);
        out.i32(cardTypeId);
        out.i32(fromDay);
        out.i32(toDay);
        out.i32(priority);
        out.i32(pointsPerYuan);
    }

    /** The rule after its kind tag. */
    static PointsRule readFrom(final StateReader in) {
        return new PointsRule(in.i64(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32());
    }
}
