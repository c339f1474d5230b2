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
        final String named = pan(NAMED_BIN, 3);
        final BinTable before = t.state().binTable();
        assertThat(before.cardTypeOf(16, body(named))).isEqualTo(NAMED);

        t.system(new UpsertBinRange(NAMED_BIN, 16, ANONYMOUS, 0, 9_999_999));
        assertThat(t.state().binTable()).isNotSameAs(before);
        assertThat(t.state().binTable().cardTypeOf(16, body(named))).isEqualTo(ANONYMOUS);
        assertThat(before.cardTypeOf(16, body(named))).isEqualTo(NAMED);

        t.system(new UpsertBinRange("88880003", 16, NAMED, 0, 99));
        assertThat(t.state().binTable().cardTypeOf(16, body(pan("88880003", 7)))).isEqualTo(NAMED);
        assertThat(t.state().binTable().size()).isEqualTo(3);
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
