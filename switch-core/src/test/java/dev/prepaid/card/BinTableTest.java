package dev.prepaid.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BinTableTest {
    private static long body(final String panWithoutCheckDigit) {
        return Long.parseLong(panWithoutCheckDigit);
    }

    @Test
    void aCardNumberHasTheTypeOfTheRangeThatHoldsItAndZeroWhenNoneDoes() {
        final BinRange eightDigits = new BinRange(0, 88880001, 8, 16, 3, 0, 9_999_999);
        final BinRange sixDigits = new BinRange(1, 888802, 6, 19, 4, 0, 99_999_999_999L);
        final BinTable table = BinTable.of(List.of(eightDigits, sixDigits));
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.cardTypeOf(16, body("888800010000042"))).isEqualTo(3);
        assertThat(table.cardTypeOf(19, body("888802123456789012"))).isEqualTo(4);
        assertThat(table.cardTypeOf(16, body("888800020000042"))).as("another BIN").isZero();
        assertThat(table.cardTypeOf(17, body("8888000100000042"))).as("the BIN at another length").isZero();
        assertThat(BinTable.EMPTY.cardTypeOf(16, body("888800010000042"))).isZero();
    }

    @Test
    void itAgreesWithTheRangesOwnRule() {
        final BinRange range = new BinRange(0, 88880001, 8, 16, 3, 0, 9_999_999);
        final BinTable table = BinTable.of(List.of(range));
        for (final long candidate : new long[] {888800010000000L, 888800019999999L, 888800000000000L, 888800020000000L}) {
            assertThat(table.cardTypeOf(16, candidate) == 3).as("body %d", candidate).isEqualTo(range.holdsBody(candidate));
        }
    }

    @Test
    void aTableIsACopyThatLaterChangesToTheRangesDoNotReach() {
        final BinRange range = new BinRange(0, 88880001, 8, 16, 3, 0, 9_999_999);
        final BinTable before = BinTable.of(List.of(range));
        range.cardTypeId(5);
        assertThat(before.cardTypeOf(16, body("888800010000042"))).isEqualTo(3);
        assertThat(BinTable.of(List.of(range)).cardTypeOf(16, body("888800010000042"))).isEqualTo(5);
    }
}
