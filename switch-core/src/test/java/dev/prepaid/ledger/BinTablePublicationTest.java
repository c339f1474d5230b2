package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.BinTable;
import dev.prepaid.command.AdminCommand.UpsertBinRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The ledger publishes its BIN ranges as a new table whenever they change, and after a snapshot is read. */
class BinTablePublicationTest {
    private static long body(final String pan) {
        return Long.parseLong(pan.substring(0, pan.length() - 1));
    }

    @Test
    void aChangedRangeIsANewTableAndTheOldOneStaysAsItWas() {
        final TestLedger t = TestLedger.standard();
        final String fresh = pan("88880003", 7);
        final BinTable before = t.state().binTable();
        assertThat(before.cardTypeOf(16, body(fresh))).isZero();

        t.system(new UpsertBinRange("88880003", 16, NAMED, 0, 99));
        final BinTable added = t.state().binTable();
        assertThat(added).isNotSameAs(before);
        assertThat(added.cardTypeOf(16, body(fresh))).isEqualTo(NAMED);
        assertThat(added.size()).isEqualTo(3);
        assertThat(before.cardTypeOf(16, body(fresh))).as("an older table stays as it was").isZero();

        // No card of the range exists yet, so it may change type.
        t.system(new UpsertBinRange("88880003", 16, ANONYMOUS, 0, 99));
        assertThat(t.state().binTable().cardTypeOf(16, body(fresh))).isEqualTo(ANONYMOUS);
        assertThat(added.cardTypeOf(16, body(fresh))).isEqualTo(NAMED);
    }

    /** A card keeps the type it was generated as; so does its range, and a card's type is its range's. */
    @Test
    void aRangeWithCardsKeepsItsType() {
        final TestLedger t = TestLedger.standard();
        final BinTable before = t.state().binTable();
        t.admin("system", new UpsertBinRange(NAMED_BIN, 16, ANONYMOUS, 0, 9_999_999));
        assertThat(t.out.reason).isEqualTo(dev.prepaid.command.Reason.INVALID_ARGUMENT);
        assertThat(t.out.detail).contains("generated as card type " + NAMED).contains("a new card type takes a new BIN range");
        assertThat(t.state().binTable()).isSameAs(before);
        // Extending it keeps working.
        t.system(new UpsertBinRange(NAMED_BIN, 16, NAMED, 0, 9_999_998));
    }

    @Test
    void aRestoredLedgerHasItsTable() {
        final TestLedger t = TestLedger.standard();
        final ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        t.ledger.writeSnapshot(snapshot, 1);
        final Ledger restored = Ledger.readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()), LedgerConfig.small())
                .ledger();
        assertThat(restored.state().binTable().cardTypeOf(16, body(pan(ANON_BIN, 5)))).isEqualTo(ANONYMOUS);
    }
}
