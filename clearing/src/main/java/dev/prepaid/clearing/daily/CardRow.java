package dev.prepaid.clearing.daily;

/** One card type's line of a day's figures: a value per {@link CardMeasure}. */
public final class CardRow {
    private final int cardType;
    private final long[] values = new long[CardMeasure.COUNT];

    public CardRow(final int cardType) {
        this.cardType = cardType;
    }

    public int cardType() {
        return cardType;
    }

    public long get(final CardMeasure m) {
        return values[m.ordinal()];
    }

    void add(final CardMeasure m, final long value) {
        values[m.ordinal()] = Math.addExact(values[m.ordinal()], value);
    }

    void set(final CardMeasure m, final long value) {
        values[m.ordinal()] = value;
    }

    public void addAll(final CardRow other) {
        for (final CardMeasure m : CardMeasure.values()) {
            add(m, other.get(m));
        }
    }

    boolean isEmpty() {
        for (final long v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
