package dev.prepaid.clearing.daily;

/** What a business day's figures count for each card type, in the order of the figures file's columns. Fen. */
public enum CardMeasure {
    CARDS_SOLD("cardsSold"),
    FACE_VALUE("faceValue"),
    DEPOSITS("deposits"),
    COUNTER_RECHARGES("counterRecharges"),
    COUNTER_RECHARGE_AMOUNT("counterRechargeAmount"),
    POS_RECHARGES("posRecharges"),
    /** Net of the day's voided and reversed POS recharges. */
    POS_RECHARGE_AMOUNT("posRechargeAmount"),
    ISSUANCES_CANCELLED("issuancesCancelled"),
    CANCELLED_VALUE("cancelledValue");

    public static final int COUNT = values().length;
    private static final CardMeasure[] ALL = values();

    public final String key;

    CardMeasure(final String key) {
        this.key = key;
    }

    public static CardMeasure ofKey(final String key) {
        for (final CardMeasure m : ALL) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        return null;
    }
}
