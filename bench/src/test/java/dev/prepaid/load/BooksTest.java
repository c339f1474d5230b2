package dev.prepaid.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.Pan;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the approvals imply each card holds, and the comparison with the switch's figures: agreement passes, a wrong
 * balance or a missing card is caught and named (masked), an uncertain card is left out and counted.
 */
class BooksTest {
    private static final Population.Cards CARDS = new Population.Cards(Population.BIN, Population.PAN_LENGTH, 1, 6,
            50_000, 2, 3012);

    /** The switch's figures: what the approvals imply, with changes. */
    private static final class Switch implements Books.Figures {
        final Map<Integer, long[]> cards = new HashMap<>();

        Switch(final Books books) {
            for (int c = 0; c < CARDS.count(); c++) {
                cards.put(c, new long[] {books.available(c), books.holds(c)});
            }
        }

        @Override
        public boolean card(final int card, final long[] out) {
            final long[] figures = cards.get(card);
            if (figures == null) {
                return false;
            }
            out[0] = figures[0];
            out[1] = figures[1];
            return true;
        }
    }

    private static Books aDay() {
        final Books books = new Books(CARDS);
        books.debit(0, 1_234);            // a purchase
        books.credit(0, 1_234);           // its void
        books.debit(1, 500);              // a purchase, refunded in part
        books.credit(1, 200);
        books.credit(2, 10_000);          // a recharge
        books.hold(3, 8_000);             // a pre-authorisation, completed at 7,000
        books.complete(3, 8_000, 7_000);
        books.hold(4, 3_000);             // a pre-authorisation still open
        return books;
    }

    @Test
    void approvalsMoveTheOpeningBalance() {
        final Books books = aDay();
        assertThat(books.available(0)).isEqualTo(50_000);
        assertThat(books.available(1)).isEqualTo(49_700);
        assertThat(books.available(2)).isEqualTo(60_000);
        assertThat(books.available(3)).isEqualTo(43_000);
        assertThat(books.holds(3)).isZero();
        assertThat(books.available(4)).isEqualTo(47_000);
        assertThat(books.holds(4)).isEqualTo(3_000);
        assertThat(books.available(5)).isEqualTo(50_000);
        assertThat(books.touched(4)).isTrue();
        assertThat(books.touched(5)).isFalse();
        assertThat(books.touchedCount()).isEqualTo(5);
    }

    @Test
    void theSwitchAgreeingPasses() {
        final Books books = aDay();
        final Books.Result result = books.check("test", new Switch(books), card -> true, Long.MAX_VALUE, null);
        assertThat(result.passed()).isTrue();
        assertThat(result.checked()).isEqualTo(6);
        assertThat(result.differences()).isZero();
    }

    @Test
    void aWrongBalanceIsCaughtAndNamed() {
        final Books books = aDay();
        final Switch figures = new Switch(books);
        figures.cards.get(2)[0] -= 1;      // one fen short on the recharged card
        figures.cards.get(4)[1] = 0;       // the open hold released
        figures.cards.remove(5);           // a card the switch does not know
        final Books.Result result = books.check("test", figures, card -> true, Long.MAX_VALUE, null);
        assertThat(result.passed()).isFalse();
        assertThat(result.differences()).isEqualTo(3);
        assertThat(result.firstDifferences()).containsExactly(
                Pan.mask(CARDS.pan(2)) + ": the switch has available 59999, holds 0 fen; the approvals imply 60000, 0",
                Pan.mask(CARDS.pan(4)) + ": the switch has available 47000, holds 0 fen; the approvals imply 47000, 3000",
                Pan.mask(CARDS.pan(5)) + ": the switch has no such card");
        assertThat(result.firstDifferences().get(0)).doesNotContain(CARDS.pan(2));
    }

    @Test
    void uncertainCardsAreLeftOutAndBrokenInvariantsFail() {
        final Books books = aDay();
        final Switch figures = new Switch(books);
        figures.cards.get(1)[0] = 0;
        books.uncertain(1);
        final Books.Result left = books.check("test", figures, books::touched, Long.MAX_VALUE,
                Books.INVARIANTS_NOT_CHECKED + ": by the admin endpoint");
        assertThat(left.passed()).isTrue();
        assertThat(left.checked()).as("the touched cards but the uncertain one").isEqualTo(4);
        assertThat(left.uncertain()).isEqualTo(1);
        final Books.Result limited = books.check("test", figures, card -> true, 2, null);
        assertThat(limited.checked()).isEqualTo(2);
        final Books.Result broken = books.check("test", figures, card -> true, Long.MAX_VALUE,
                "total debits 10 != total credits 11");
        assertThat(broken.differences()).isZero();
        assertThat(broken.passed()).isFalse();
    }

    @Test
    void cardNumbersAndPinsComeFromTheAccount() {
        assertThat(CARDS.pan(0)).hasSize(16).startsWith(Population.BIN + "0000000");
        assertThat(Pan.parseKey(CARDS.pan(123))).as("a valid Luhn digit").isPositive();
        assertThat(CARDS.hasPin(1)).isTrue();
        assertThat(CARDS.hasPin(2)).isFalse();
        assertThat(CARDS.pin(7)).hasSize(6).isNotEqualTo(CARDS.wrongPin(7));
        assertThat(CARDS.pin(7)).isEqualTo(CARDS.pin(7));
    }
}
