package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.ANON_BIN;
import static dev.prepaid.ledger.TestLedger.START_DATE;
import static dev.prepaid.ledger.TestLedger.TERMINAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.AdminCommand.Approve;
import dev.prepaid.command.AdminCommand.Cutover;
import dev.prepaid.command.AdminCommand.PrepareSettlement;
import dev.prepaid.command.AdminCommand.RecordReconciliation;
import dev.prepaid.command.AdminCommand.Reject;
import dev.prepaid.command.Reason;
import dev.prepaid.time.CivilDate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed reconciliation of a cleared day (RECORD_RECONCILIATION, recorded by the switch's clearing) holds
 * settlement — no batch is prepared or approved — until the day reconciles or finance accepts it; the hold is state,
 * so it survives a snapshot (state version 5), and a state that never held a day keeps its old format.
 */
class ReconciliationHoldTest {
    private TestLedger t;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        final String card = t.sell(ANON_BIN, 0, 50_000);
        t.purchase(TERMINAL, card, 1_000);
        t.system(new Cutover(START_DATE + 1));
    }

    @Test
    void aFailedDayHoldsPreparationAndApprovalUntilItReconciles() {
        t.admin("finance", new PrepareSettlement());
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        final long prepared = t.out.value1;

        t.system(new RecordReconciliation(START_DATE, false, "fees: posted 35 != cleared 30"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).as("days held").isEqualTo(1);
        assertThat(t.state().reconciliationHeldDays()).containsExactly(CivilDate.epochDay(START_DATE));

        t.admin("finance2", new Approve(prepared));
        assertThat(t.out.reason).isEqualTo(Reason.RECONCILIATION_FAILED);
        assertThat(t.out.detail).contains(CivilDate.iso(CivilDate.epochDay(START_DATE))).contains("settlement is held");
        t.admin("finance", new Reject(prepared));
        t.admin("finance", new PrepareSettlement());
        assertThat(t.out.reason).isEqualTo(Reason.RECONCILIATION_FAILED);

        t.system(new RecordReconciliation(START_DATE, true, "cleared again: every check holds"));
        assertThat(t.out.value1).isZero();
        assertThat(t.out.value2).as("this record released a held day").isEqualTo(1);
        t.admin("finance", new PrepareSettlement());
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void financeAcceptsAFailedDayButOnlyTheSwitchRecordsAFailure() {
        t.admin("finance", new RecordReconciliation(START_DATE, false, "made up"));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        assertThat(t.state().reconciliationHeldDays()).isEmpty();

        t.system(new RecordReconciliation(START_DATE, false, "batch 1 of 10000001 disagrees"));
        t.admin("clerk", new RecordReconciliation(START_DATE, true, "accepted"));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("finance", new RecordReconciliation(START_DATE, true, "terminal's batch re-keyed; accepted"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().reconciliationHeldDays()).isEmpty();
    }

    @Test
    void onlyAClosedBusinessDayIsReconciled() {
        t.admin("system", new RecordReconciliation(START_DATE + 1, false, "the open day"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(t.out.detail).startsWith("businessDate").contains("not a closed business day");
        t.admin("system", new RecordReconciliation(20261340, false, "no such date"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(t.out.detail).contains("20261340 is not a date");
    }

    @Test
    void theHoldSurvivesASnapshotAndAStateWithoutOneKeepsItsVersion() {
        assertThat(stateVersion(t.ledger)).isLessThan(5);
        t.system(new RecordReconciliation(START_DATE, false, "figures file damaged"));
        assertThat(stateVersion(t.ledger)).isEqualTo(5);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.ledger.writeSnapshot(out, 7);
        final Ledger restored = Ledger.readSnapshot(new ByteArrayInputStream(out.toByteArray()), LedgerConfig.small()).ledger();
        assertThat(restored.digestHex()).isEqualTo(t.ledger.digestHex());
        assertThat(restored.state().reconciliationHeldDays()).containsExactly(CivilDate.epochDay(START_DATE));

        t.system(new RecordReconciliation(START_DATE, true, "reconciles"));
        assertThat(stateVersion(t.ledger)).as("back to the format it had").isLessThan(5);
    }

    private static int stateVersion(final Ledger ledger) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ledger.writeSnapshot(out, 0);
        final byte[] b = out.toByteArray();
        return (b[16] & 0xFF) | (b[17] & 0xFF) << 8 | (b[18] & 0xFF) << 16 | (b[19] & 0xFF) << 24;
    }
}
