package dev.prepaid.load;

import dev.prepaid.card.Pan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntPredicate;

/**
 * What the generator's answers say every card of the population holds: the opening balance of the population (or
 * what the switch's cards held before the run, {@link #open}) plus the effect of each approval the generator saw and
 * did not reverse — a purchase takes its amount, a void,
 * refund or recharge gives it back, a pre-authorisation moves it from available to holds, its completion releases
 * the hold and takes what was completed. At the end the switch's figures of every card are compared with these
 * ({@link #check}). A card whose outcome the generator cannot know (a reversal it gave up on after a lost answer)
 * is left out of the comparison and counted. Written by every event loop at once.
 */
final class Books {
    /** The switch's figures of a card. */
    interface Figures {
        /**
         * Fills {@code out} with the card's available balance ({@code out[0]}) and holds ({@code out[1]}) in fen;
         * false when the switch has no such card.
         */
        boolean card(int card, long[] out);
    }

    /** What the comparison found. */
    record Result(String source, long checked, long differences, List<String> firstDifferences, long uncertain,
            String invariants) {
        /** Whether every compared card agreed and the ledger's identities hold (when checked). */
        boolean passed() {
            return differences == 0 && (invariants == null || invariants.startsWith(INVARIANTS_NOT_CHECKED));
        }
    }

    /** How {@link Result#invariants} begins when the source could not check them. */
    static final String INVARIANTS_NOT_CHECKED = "not checked";
    private static final int DIFFERENCES_SHOWN = 10;

    private final Population.Cards cards;
    /** What each card held before the run, when the switch served an earlier one; null: the opening balance. */
    private long[] openingAvailable;
    private final Map<Integer, Long> openingHolds = new HashMap<>();
    private final AtomicLongArray availableChange;
    private final ConcurrentHashMap<Integer, Long> holds = new ConcurrentHashMap<>();
    private final AtomicLongArray touched;
    private final Set<Integer> uncertain = ConcurrentHashMap.newKeySet();

    Books(final Population.Cards cards) {
        this.cards = cards;
        this.availableChange = new AtomicLongArray(cards.count());
        this.touched = new AtomicLongArray((cards.count() + 63) >>> 6);
    }

    /**
     * The switch's cards as they are before the run (a switch that served earlier runs): the approvals of this run
     * are then added to these figures instead of the population's opening balance. Before the run only.
     */
    void open(final Figures figures) {
        final long[] available = new long[cards.count()];
        final long[] out = new long[2];
        openingHolds.clear();
        for (int card = 0; card < cards.count(); card++) {
            if (figures.card(card, out)) {
                available[card] = out[0];
                if (out[1] != 0) {
                    openingHolds.put(card, out[1]);
                }
            } else {
                available[card] = cards.faceValueFen();
            }
        }
        openingAvailable = available;
    }

    /** An approved purchase (or completion's taking) of {@code amount} fen. */
    void debit(final int card, final long amount) {
        availableChange.addAndGet(card, -amount);
        touch(card);
    }

    /** An approved void, refund or recharge of {@code amount} fen. */
    void credit(final int card, final long amount) {
        availableChange.addAndGet(card, amount);
        touch(card);
    }

    /** An approved pre-authorisation: {@code amount} moves from available to holds. */
    void hold(final int card, final long amount) {
        availableChange.addAndGet(card, -amount);
        holds.merge(card, amount, Long::sum);
        touch(card);
    }

    /** An approved completion of {@code completed} against a hold of {@code held}. */
    void complete(final int card, final long held, final long completed) {
        holds.merge(card, -held, Long::sum);
        availableChange.addAndGet(card, held - completed);
        touch(card);
    }

    /** The generator cannot know what the switch did to this card: it is not compared. */
    void uncertain(final int card) {
        uncertain.add(card);
        touch(card);
    }

    /** The available balance the approvals so far imply (requests in flight not counted). */
    long available(final int card) {
        return (openingAvailable == null ? cards.faceValueFen() : openingAvailable[card]) + availableChange.get(card);
    }

    long holds(final int card) {
        return openingHolds.getOrDefault(card, 0L) + holds.getOrDefault(card, 0L);
    }

    /** Whether an approval, or an uncertain outcome, touched the card. */
    boolean touched(final int card) {
        return (touched.get(card >>> 6) & (1L << card)) != 0;
    }

    long touchedCount() {
        long n = 0;
        for (int i = 0; i < touched.length(); i++) {
            n += Long.bitCount(touched.get(i));
        }
        return n;
    }

    private void touch(final int card) {
        final int word = card >>> 6;
        final long bit = 1L << card;
        long old;
        while (((old = touched.get(word)) & bit) == 0 && !touched.compareAndSet(word, old, old | bit)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Compares the cards {@code which} selects, up to {@code limit} of them, with the switch's {@code figures}.
     *
     * @param invariants what the source says of the ledger's identities: null when they hold, else the first that
     *                   does not, or a text starting {@link #INVARIANTS_NOT_CHECKED}
     */
    Result check(final String source, final Figures figures, final IntPredicate which, final long limit,
            final String invariants) {
        final long[] actual = new long[2];
        final List<String> shown = new ArrayList<>();
        long checked = 0;
        long differences = 0;
        for (int card = 0; card < cards.count() && checked < limit; card++) {
            if (!which.test(card) || uncertain.contains(card)) {
                continue;
            }
            checked++;
            final long wantAvailable = available(card);
            final long wantHolds = holds(card);
            final boolean found = figures.card(card, actual);
            if (found && actual[0] == wantAvailable && actual[1] == wantHolds) {
                continue;
            }
            differences++;
            if (shown.size() < DIFFERENCES_SHOWN) {
                shown.add(found ? String.format(Locale.ROOT,
                        "%s: the switch has available %d, holds %d fen; the approvals imply %d, %d",
                        Pan.mask(cards.pan(card)), actual[0], actual[1], wantAvailable, wantHolds)
                        : Pan.mask(cards.pan(card)) + ": the switch has no such card");
            }
        }
        return new Result(source, checked, differences, List.copyOf(shown), uncertain.size(), invariants);
    }
}
