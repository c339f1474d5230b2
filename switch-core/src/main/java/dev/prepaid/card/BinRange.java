package dev.prepaid.card;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import java.util.Arrays;

/**
 * A range of card numbers: a BIN, a PAN length and the account numbers it may use, all of one card type.
 * Cards are generated in account-number order; each generation is one run of consecutive account numbers
 * mapped to consecutive card indices, so a PAN finds its card by arithmetic and a binary search over the
 * runs, without a per-card hash table.
 */
public final class BinRange {
    private final int index;
    private final long bin;
    private final int binLength;
    private final int panLength;
    private final long accountScale;
    private int cardTypeId;
    private final long firstAccount;
    private long lastAccount;
    private long nextAccount;

    private long[] runFirstAccount = new long[8];
    private int[] runFirstCard = new int[8];
    private int[] runCount = new int[8];
    private int runs;

    public BinRange(final int index, final long bin, final int binLength, final int panLength, final int cardTypeId,
            final long firstAccount, final long lastAccount) {
        this.index = index;
        this.bin = bin;
        this.binLength = binLength;
        this.panLength = panLength;
        this.accountScale = Pan.powerOfTen(panLength - 1 - binLength);
        this.cardTypeId = cardTypeId;
        this.firstAccount = firstAccount;
        this.lastAccount = lastAccount;
        this.nextAccount = firstAccount;
    }

    public int index() {
        return index;
    }

    public long bin() {
        return bin;
    }

    public int binLength() {
        return binLength;
    }

    /** The BIN as it is written: 6 or 8 digits. */
    public String binDigits() {
        final String digits = Long.toString(bin);
        return "0".repeat(binLength - digits.length()) + digits;
    }

    public int panLength() {
        return panLength;
    }

    public int accountDigits() {
        return panLength - 1 - binLength;
    }

    public int cardTypeId() {
        return cardTypeId;
    }

    public void cardTypeId(final int id) {
        this.cardTypeId = id;
    }

    public long firstAccount() {
        return firstAccount;
    }

    public long lastAccount() {
        return lastAccount;
    }

    public void lastAccount(final long last) {
        this.lastAccount = last;
    }

    public long nextAccount() {
        return nextAccount;
    }

    public long remaining() {
        return lastAccount - nextAccount + 1;
    }

    /** Whether a PAN body of this range's length begins with this BIN. */
    public boolean holdsBody(final long body) {
        return holds(bin, accountScale, panLength, panLength, body);
    }

    /**
     * Whether a range (its BIN, account scale and PAN length) holds a card number: the one rule, used by the
     * ledger's ranges and by {@link BinTable}'s copies of them.
     */
    static boolean holds(final long bin, final long accountScale, final int rangePanLength, final int panLength,
            final long body) {
        return rangePanLength == panLength && body / accountScale == bin;
    }

    /** 10 to the number of account digits: a PAN body divided by it leaves the BIN. */
    long accountScale() {
        return accountScale;
    }

    /** Whether the first {@link #binLength} digits of a PAN of any length are this BIN. */
    public boolean binMatches(final int length, final long body) {
        final int digitsAfterBin = length - 1 - binLength;
        return digitsAfterBin > 0 && body / Pan.powerOfTen(digitsAfterBin) == bin;
    }

    public long accountOf(final long body) {
        return body % accountScale;
    }

    public long bodyOf(final long account) {
        return bin * accountScale + account;
    }

    public long keyOf(final long account) {
        return Pan.key(panLength, bodyOf(account));
    }

    /** Card index of an account number, or -1 when that account was never generated. */
    public int cardOf(final long account) {
        int low = 0;
        int high = runs - 1;
        while (low <= high) {
            final int mid = (low + high) >>> 1;
            final long first = runFirstAccount[mid];
            if (account < first) {
                high = mid - 1;
            } else if (account >= first + runCount[mid]) {
                low = mid + 1;
            } else {
                return runFirstCard[mid] + (int) (account - first);
            }
        }
        return -1;
    }

    /** Records that {@code count} accounts from {@link #nextAccount} became cards from {@code firstCard}. */
    public void addRun(final int firstCard, final int count) {
        if (runs > 0 && runFirstCard[runs - 1] + runCount[runs - 1] == firstCard
                && runFirstAccount[runs - 1] + runCount[runs - 1] == nextAccount
                && (long) runCount[runs - 1] + count <= Integer.MAX_VALUE) {
            runCount[runs - 1] += count;
        } else {
            if (runs == runFirstAccount.length) {
                runFirstAccount = Arrays.copyOf(runFirstAccount, runs * 2);
                runFirstCard = Arrays.copyOf(runFirstCard, runs * 2);
                runCount = Arrays.copyOf(runCount, runs * 2);
            }
            runFirstAccount[runs] = nextAccount;
            runFirstCard[runs] = firstCard;
            runCount[runs] = count;
            runs++;
        }
        nextAccount += count;
    }

    public int runs() {
        return runs;
    }

    public long runFirstAccount(final int run) {
        return runFirstAccount[run];
    }

    public int runFirstCard(final int run) {
        return runFirstCard[run];
    }

    public int runCount(final int run) {
        return runCount[run];
    }

    /** Restores generation state from a snapshot. */
    public void restore(final long next, final long[] firstAccounts, final int[] firstCards, final int[] counts) {
        this.nextAccount = next;
        this.runs = firstAccounts.length;
        this.runFirstAccount = Arrays.copyOf(firstAccounts, Math.max(8, runs));
        this.runFirstCard = Arrays.copyOf(firstCards, Math.max(8, runs));
        this.runCount = Arrays.copyOf(counts, Math.max(8, runs));
    }

    public void writeTo(final StateWriter out) {
        out.i64(bin());
        out.i32(binLength());
        out.i32(panLength());
        out.i32(cardTypeId());
        out.i64(firstAccount());
        out.i64(lastAccount());
        out.i64(nextAccount());
        out.i32(runs());
        for (int i = 0; i < runs(); i++) {
            out.i64(runFirstAccount(i));
            out.i32(runFirstCard(i));
            out.i32(runCount(i));
        }
    }

    /** The range written by {@link #writeTo}, as the {@code index}-th range. */
    public static BinRange readFrom(final int index, final StateReader in) {
        final BinRange range = new BinRange(index, in.i64(), in.i32(), in.i32(), in.i32(), in.i64(), in.i64());
        final long next = in.i64();
        final int runs = in.i32();
        final long[] firstAccounts = new long[runs];
        final int[] firstCards = new int[runs];
        final int[] counts = new int[runs];
        for (int r = 0; r < runs; r++) {
            firstAccounts[r] = in.i64();
            firstCards[r] = in.i32();
            counts[r] = in.i32();
        }
        range.restore(next, firstAccounts, firstCards, counts);
        return range;
    }
}
