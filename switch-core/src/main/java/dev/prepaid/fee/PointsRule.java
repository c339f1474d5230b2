package dev.prepaid.fee;

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
}
