package dev.prepaid.fee;

import dev.prepaid.command.PosKind;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * A merchant fee rule. Rules of a merchant are ranked by priority (lower first, then by id); the first that
 * matches a transaction decides its fee alone: rules are never summed.
 *
 * @param cardTypeId the card type it applies to, or 0 for every type
 * @param kinds mask of {@link PosKind#bit()} it applies to: purchase and/or completion (a fee the merchant pays), or
 *     recharge alone (the commission the operator pays the merchant for taking a recharge)
 * @param fromDay first epoch day it is effective
 * @param toDay last epoch day it is effective ({@code Integer.MAX_VALUE}: open)
 */
public record FeeRule(
        long ruleId,
        int merchantIndex,
        int cardTypeId,
        int kinds,
        int fromDay,
        int toDay,
        int priority,
        FeeMethod method,
        long ratePpm,
        long fixedFen,
        long minFen,
        long capFen) {

    public boolean matches(final int cardType, final PosKind kind, final int day) {
        return (cardTypeId == 0 || cardTypeId == cardType) && (kinds & kind.bit()) != 0 && day >= fromDay
                && day <= toDay && method != FeeMethod.PERIODIC;
    }

    public boolean effectiveOn(final int day) {
        return day >= fromDay && day <= toDay;
    }

    /** Kind tag of a fee rule in the state. */
    static final int STORED_KIND = 1;

    void writeTo(final StateWriter out) {
        out.i8(STORED_KIND);
        out.i64(ruleId);
        out.i32(merchantIndex);
        out.i32(cardTypeId);
        out.i32(kinds);
        out.i32(fromDay);
        out.i32(toDay);
        out.i32(priority);
        out.stored(method);
        out.i64(ratePpm);
        out.i64(fixedFen);
        out.i64(minFen);
        out.i64(capFen);
    }

    /** The rule after its kind tag. */
    static FeeRule readFrom(final StateReader in) {
        return new FeeRule(in.i64(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.stored(FeeMethod.class),
                in.i64(), in.i64(), in.i64(), in.i64());
    }
}
