package dev.prepaid.reports;

/**
 * A column of a report: its key (CSV/JSON), its title (people), and what its cells hold.
 */
public record Column(String key, String title, Type type) {
    public enum Type {
        /** A String. */
        TEXT,
        /** A Long count (or points). */
        COUNT,
        /** A Long amount in fen, shown as yuan with two decimals. */
        FEN,
        /** A BigDecimal percentage with two decimals, or null when there is nothing to divide by. */
        PERCENT
    }

    public boolean numeric() {
        return type != Type.TEXT;
    }
}
