package dev.prepaid.fee;

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
}
