package dev.prepaid.payout;

/**
 * One bank's batch payment layout: how a {@link BankBatchFile} is spelled for that bank (columns, delimiter,
 * encoding, date and amount formats). The content and its totals are decided, and checked, before a layout sees
 * them; an adapter only writes them. {@link NeutralLayout} is the neutral layout the others are derived from.
 */
public interface BankFileLayout {
    /** Lower-case letters and digits; part of the file name ({@code neutral}). */
    String name();

    /** The file name's extension ({@code csv}). */
    String extension();

    /**
     * The whole file.
     *
     * @throws IllegalArgumentException when the bank's layout cannot carry something in the file (a character
     *         its encoding lacks, a name longer than its column), naming the row and the field
     */
    byte[] write(BankBatchFile file);
}
