package dev.prepaid.card;

import java.util.List;

/**
 * Which card type a card number belongs to, by its BIN range: an immutable copy of the ledger's BIN ranges
 * that the ledger publishes whenever they change, for the threads that must know a card's type before the
 * ledger sees the request (the I/O threads choose the CVN key by it). It answers with the same rule the ledger
 * uses ({@link BinRange#holdsBody}), from the same ranges; a request checked against an older table than the
 * one the ledger applies it with is caught by the ledger (pos-iso8583 requests state the type they were
 * checked for: {@code PosRequest#checkedCardType}).
 */
public final class BinTable {
    public static final BinTable EMPTY = new BinTable(new long[0], new long[0], new int[0], new int[0]);

    private final long[] bins;
    private final long[] accountScales;
    private final int[] panLengths;
    private final int[] cardTypes;

    private BinTable(final long[] bins, final long[] accountScales, final int[] panLengths, final int[] cardTypes) {
        this.bins = bins;
        this.accountScales = accountScales;
        this.panLengths = panLengths;
        this.cardTypes = cardTypes;
    }

    /** A table of the ranges as they are now. */
    public static BinTable of(final List<BinRange> ranges) {
        final int n = ranges.size();
        final long[] bins = new long[n];
        final long[] scales = new long[n];
        final int[] lengths = new int[n];
        final int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            final BinRange range = ranges.get(i);
            bins[i] = range.bin();
            scales[i] = range.accountScale();
            lengths[i] = range.panLength();
            types[i] = range.cardTypeId();
        }
        return new BinTable(bins, scales, lengths, types);
    }

    /**
     * The card type of a card number (its length and its body: every digit but the check digit, as a number),
     * or 0 when no range holds it. Allocation-free.
     */
    public int cardTypeOf(final int panLength, final long body) {
        for (int i = 0; i < bins.length; i++) {
            if (BinRange.holds(bins[i], accountScales[i], panLengths[i], panLength, body)) {
                return cardTypes[i];
            }
        }
        return 0;
    }

    public int size() {
        return bins.length;
    }
}
