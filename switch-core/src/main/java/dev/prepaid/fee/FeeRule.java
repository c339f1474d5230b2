package dev.prepaid.fee;

import dev.prepaid.command.PosKind;

/**
 * A merchant fee rule. Rules of a merchant are ranked by priority (lower first, then by id); the first that
 * matches a transaction decides its fee alone: rules are never summed.
 *
 * @param cardTypeId the card type it applies to, or 0 for every type
 * @param kinds mask of {@link PosKind#bit()} it applies to (purchase, completion, refund)
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
}
