package dev.prepaid.load;

import dev.prepaid.pos.Card;
import dev.prepaid.security.CvkPair;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * What the terminals of one event loop share: the loop's random numbers, and what all loops share — the mix, the
 * cards, the books, the measurements, the wrong PINs counted per card.
 */
final class LoadContext {
    /** Wrong PINs a card may take in a day and stay unlocked: the generator sends it no more than that. */
    static final int WRONG_PINS_PER_CARD = 2;
    private static final int WRONG_PIN_TRIES = 8;

    final SplittableRandom random;
    final Mix mix;
    final Population.Cards cards;
    final Books books;
    final Measurements measurements;
    final LongAdder reversalsGivenUp;
    private final CvkPair cvk;
    private final AtomicIntegerArray wrongPins;
    private final boolean closedLoop;

    LoadContext(final SplittableRandom random, final Mix mix, final Population.Cards cards, final CvkPair cvk,
            final Books books, final Measurements measurements, final AtomicIntegerArray wrongPins,
            final LongAdder reversalsGivenUp, final boolean closedLoop) {
        this.random = random;
        this.mix = mix;
        this.cards = cards;
        this.cvk = cvk;
        this.books = books;
        this.measurements = measurements;
        this.wrongPins = wrongPins;
        this.reversalsGivenUp = reversalsGivenUp;
        this.closedLoop = closedLoop;
    }

    /** Card {@code index} as a terminal reads it: swiped (track 2 with its CVN) as often as the mix says, else keyed. */
    Card card(final int index) {
        final String pan = cards.pan(index);
        if (random.nextDouble() * 100 < mix.swipedPercent) {
            return Card.swiped(pan, cards.expiryYymm(), Population.SERVICE_CODE, cvk);
        }
        return Card.manual(pan, cards.expiryYymm());
    }

    /**
     * A card with a PIN that may take one more wrong PIN today without locking, its wrong PIN counted; −1 when a
     * few draws found none.
     */
    int wrongPinCard() {
        if (cards.pinCards() == 0) {
            return -1;
        }
        for (int i = 0; i < WRONG_PIN_TRIES; i++) {
            final int c = random.nextInt(cards.pinCards());
            final int before = wrongPins.get(c);
            if (before < WRONG_PINS_PER_CARD && wrongPins.compareAndSet(c, before, before + 1)) {
                return c;
            }
        }
        return -1;
    }

    /** A closed loop counts the slots it starts in a step (an open loop's come from its schedule). */
    void started(final Measurements.Step step) {
        if (closedLoop) {
            step.started.increment();
        }
    }

    /** Records a latency, at most {@link Measurements#HIGHEST_NANOS}. */
    void record(final Recorder recorder, final long nanos) {
        recorder.recordValue(Math.max(0, Math.min(Measurements.HIGHEST_NANOS, nanos)));
    }
}
