package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.clearing.DayKind;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.PosKind;
import dev.prepaid.fee.FeeMethod;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole state to a stream and back: versioned, checksummed, and equal by digest. */
class SnapshotTest {
    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 50_000);
        t.sell(NAMED_BIN, 0, 30_000);
        t.feeRule(1, MERCHANT, FeeMethod.PERCENT_MIN_CAP, 3_500, 0, 1, 1_300);
        t.system(new PutDiscountRule(2, MERCHANT, 0, 0, 0, 1, 50_000, 100, 0));
        t.system(new PutPointsRule(3, "", 0, 0, 0, 1, 2));
        t.system(new SetCalendarDay(20261225, DayKind.HOLIDAY));
        t.system(new SetParameter("refundWindowDays", 20));
        t.purchase(TERMINAL, card, 1_234);
        t.pos(r -> t.on(r.kind(PosKind.PREAUTH), TERMINAL).pan(card).amount(2_000).pinCheck(PIN));
        t.admin("supervisor", new RequestAdjustment(AdjustmentTarget.CARD, card, 77, CounterAccount.CUSTODY));
        t.system(new Cutover(START_DATE + 1));
        t.purchase(TERMINAL2, card, 999);
        t.admin("finance", new PrepareSettlement());
    }

    private static byte[] snapshot(final Ledger ledger, final long index) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ledger.writeSnapshot(out, index);
        return out.toByteArray();
    }

    @Test
    void restoredStateHasTheSameDigestAndBehavesTheSame() {
        final byte[] bytes = snapshot(t.ledger, 42);
        final Ledger.Restored restored = Ledger.readSnapshot(new ByteArrayInputStream(bytes), LedgerConfig.small());
        assertThat(restored.journalIndex()).isEqualTo(42);
        assertThat(restored.ledger().digestHex()).isEqualTo(t.ledger.digestHex());
        Invariants.check(restored.ledger().state());

        t.mirror = restored.ledger();
        t.purchase(TERMINAL, card, 500);
        t.pos(r -> t.on(r.kind(PosKind.COMPLETION), TERMINAL).pan(card).amount(1_500).original(1, 2, 0));
        t.admin("supervisor2", new Approve(1));
        t.admin("finance2", new Approve(2));
        t.system(new Cutover(START_DATE + 2));
        t.system(new ExpireHolds());
        assertThat(restored.ledger().digestHex()).isEqualTo(t.ledger.digestHex());
    }

    /**
     * Version 4: a payee its merchant no longer has and the payout files recorded are written (section 13) and read
     * back; a state without them is written in the version it was before (3 here: the test ledger has no trail).
     */
    @Test
    void frozenPayeesAndPayoutFilesSurviveASnapshotAndAStateWithoutThemKeepsItsVersion() {
        t.admin("finance2", new Approve(2));
        final byte[] before = snapshot(t.ledger, 1);
        assertThat(version(before)).isLessThan(4);
        t.system(new UpsertMerchant(MERCHANT, "Shop", "5411", dev.prepaid.merchant.MerchantStatus.ACTIVE,
                dev.prepaid.merchant.SettlementCycle.T_PLUS_1, 1, 0, dev.prepaid.merchant.RefundFeePolicy.NONE, true,
                "6222000000000000999", "Someone else", "Other bank", "103100000002"));
        t.admin("finance", new RecordPayoutFiles(2, 1_795_000_000_000L, "a.xml", "0".repeat(64), "b.csv", "1".repeat(64)));
        final dev.prepaid.clearing.Payee frozen = t.state().settlements().get(2L).payee(0);
        assertThat(frozen.account()).isNotEqualTo("6222000000000000999");
        final byte[] bytes = snapshot(t.ledger, 2);
        assertThat(version(bytes)).isEqualTo(4);
        final Ledger.Restored restored = Ledger.readSnapshot(new ByteArrayInputStream(bytes), LedgerConfig.small());
        assertThat(restored.ledger().digestHex()).isEqualTo(t.ledger.digestHex());
        final dev.prepaid.clearing.SettlementBatch batch = restored.ledger().state().settlements().get(2L);
        assertThat(batch.payee(0)).isEqualTo(frozen);
        assertThat(batch.exported()).isEqualTo(t.state().settlements().get(2L).exported());
        assertThat(snapshot(restored.ledger(), 2)).isEqualTo(bytes);
    }

    /** The state version: the first i32 after the magic and the journal index. */
    private static int version(final byte[] snapshot) {
        return java.nio.ByteBuffer.wrap(snapshot, 16, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void digestsDifferWhenStatesDiffer() {
        final String before = t.ledger.digestHex();
        t.purchase(TERMINAL, card, 1);
        assertThat(t.ledger.digestHex()).isNotEqualTo(before);
        assertThat(t.ledger.digest()).hasSize(32);
    }

    @Test
    void aFlippedByteIsDetected() {
        final byte[] bytes = snapshot(t.ledger, 7);
        for (final int position : new int[] {bytes.length / 2, bytes.length - 2, 20}) {
            final byte[] corrupt = bytes.clone();
            corrupt[position] ^= 0x40;
            assertThatThrownBy(() -> Ledger.readSnapshot(new ByteArrayInputStream(corrupt), LedgerConfig.small()))
                    .isInstanceOf(RuntimeException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("checksum", "corrupt", "state", "snapshot"));
        }
    }

    @Test
    void aTruncatedSnapshotIsDetected() {
        final byte[] bytes = snapshot(t.ledger, 7);
        final byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 100);
        assertThatThrownBy(() -> Ledger.readSnapshot(new ByteArrayInputStream(truncated), LedgerConfig.small()))
                .hasMessageContaining("state ends after");
    }

    @Test
    void smallerCapacitiesAreRefused() {
        final byte[] bytes = snapshot(t.ledger, 7);
        assertThatThrownBy(() -> Ledger.readSnapshot(new ByteArrayInputStream(bytes), LedgerConfig.small().withMaxCards(10)))
                .hasMessageContaining("capacities");
    }
}
