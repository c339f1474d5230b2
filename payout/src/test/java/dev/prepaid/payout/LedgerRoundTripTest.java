package dev.prepaid.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.AdjustmentTarget;
import dev.prepaid.command.AdminCommand.Approve;
import dev.prepaid.command.AdminCommand.CounterAccount;
import dev.prepaid.command.AdminCommand.Cutover;
import dev.prepaid.command.AdminCommand.PrepareSettlement;
import dev.prepaid.command.AdminCommand.RequestAdjustment;
import dev.prepaid.command.AdminCommand.UpsertMerchant;
import dev.prepaid.command.AdminCommand.UpsertOperator;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.ledger.Account;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.time.CivilDate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way through a real ledger: merchants are owed money, a settlement batch is prepared and approved,
 * its payout files are written, the bank's result file is read, and its RECORD_PAYOUT_RESULT commands are booked.
 */
class LedgerRoundTripTest {
    private final Ledger ledger = new Ledger(LedgerConfig.small());
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final Outcome out = new Outcome();
    private long clock = CivilDate.epochDay(20261123) * CivilDate.MILLIS_PER_DAY;
    private long requestId = 1;

    private Outcome send(final String operator, final AdminCommand command, final String note) {
        final int length = RecordCodec.encode(new Envelope(operator, requestId++, "test", note), command, buffer, 0);
        clock += 1_000;
        ledger.apply(buffer, 0, length, clock, out);
        Invariants.check(ledger.state());
        return out;
    }

    private Outcome approved(final String operator, final AdminCommand command) {
        send(operator, command, "round trip");
        assertThat(out.reason).as(command + " -> " + out).isEqualTo(Reason.APPROVED);
        return out;
    }

    private void owe(final String merchantId, final String account, final String accountName, final long fen) {
        approved("system", new UpsertMerchant(merchantId, "Shop", "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1,
                1, 0, RefundFeePolicy.NONE, true, account, accountName, "中国工商银行上海分行", "102290000011"));
        final long pending = approved("finance", new RequestAdjustment(AdjustmentTarget.MERCHANT, merchantId, fen,
                CounterAccount.CUSTODY)).value1;
        approved("supervisor", new Approve(pending));
    }

    @Test
    void anApprovedBatchGoesToTheBankAndTheBanksResultIsBookedByTheLedger(@TempDir final Path directory)
            throws Exception {
        approved("system", new Cutover(20261123));
        for (final Role role : new Role[] {Role.FINANCE, Role.SUPERVISOR}) {
            approved("system", new UpsertOperator(role.name().toLowerCase(), role.name(), role, "", OperatorStatus.ACTIVE,
                    "$argon2id$x"));
        }
        approved("system", new UpsertOperator("finance2", "Second finance", Role.FINANCE, "", OperatorStatus.ACTIVE,
                "$argon2id$y"));
        owe("898310048990001", "6222020200998877001", "上海南京路百货有限公司", 1_234_56);
        owe("898310048990002", "6222020200998877002", "Tom & Jerry <Shop>", 50_00);
        owe("898310048990003", "6222020200998877003", "Corner Books Ltd.", 7);
        approved("system", new Cutover(20261124));
        final long id = approved("finance", new PrepareSettlement()).value1;
        // A new account after preparation does not redirect the batch the second operator approves.
        approved("system", new UpsertMerchant("898310048990003", "Shop", "5411", MerchantStatus.ACTIVE,
                SettlementCycle.T_PLUS_1, 1, 0, RefundFeePolicy.NONE, true, "6222999900000000001", "Someone Else Ltd.",
                "中国工商银行上海分行", "102290000011"));
        approved("finance2", new Approve(id));

        final LedgerState state = ledger.state();
        final SettlementBatch settlement = state.settlements().get(id);
        final PayoutBatch batch = PayoutBatch.of(settlement, state::merchant, Batches.CUSTODY, Batches.CREATED,
                "结算款 2026-11-24");
        assertThat(batch.count()).isEqualTo(3);
        assertThat(batch.totalFen()).isEqualTo(settlement.total()).isEqualTo(1_234_56 + 50_00 + 7);
        assertThat(batch.businessDate()).hasToString("2026-11-24");
        assertThat(batch.lines().get(2).account()).isEqualTo("6222020200998877003");
        assertThat(batch.lines().get(2).payeeName()).isEqualTo("Corner Books Ltd.");
        final PayoutFiles.Written pain = PayoutFiles.write(directory, Pain001Writer.write(batch));
        assertThat(pain.created()).isTrue();
        assertThat(PayoutFiles.write(directory, BankBatchFile.write(batch, NeutralLayout.INSTANCE)).created()).isTrue();

        final String result = ""
                + id + "-898310048990001,1234.56,PAID,,,B20261124-0001\r\n"
                + id + "-898310048990002,50.00,FAILED,AC04,户名不符,B20261124-0002\r\n"
                + id + "-898310048990003,0.07,PAID,,,B20261124-0003\r\n";
        final PayoutResults results = PayoutResults.read(batch, result.getBytes(StandardCharsets.UTF_8));
        assertThat(results.problems()).isEmpty();
        final long inTransit = state.books().balance(Account.CLEARING_IN_TRANSIT);
        assertThat(inTransit).isEqualTo(-(1_234_56 + 50_00 + 7));
        for (final PayoutResult r : results.results()) {
            send("finance", r.command(), r.note());
            assertThat(out.reason).as(r.toString()).isEqualTo(Reason.APPROVED);
            assertThat(out.value1).isEqualTo(r.amountFen());
        }
        assertThat(settlement.lineState(settlement.lineOf(state.merchant("898310048990001").index())))
                .isEqualTo(SettlementBatch.LINE_PAID);
        final int failedLine = settlement.lineOf(state.merchant("898310048990002").index());
        assertThat(settlement.lineState(failedLine)).isEqualTo(SettlementBatch.LINE_FAILED);
        assertThat(settlement.bankReference(failedLine)).isEqualTo("B20261124-0002");
        assertThat(settlement.resolved()).isTrue();
        assertThat(state.books().balance(Account.CLEARING_IN_TRANSIT)).isZero();
        // The failed payout is owed to its merchant again.
        assertThat(state.merchant("898310048990002").payable()).isEqualTo(50_00);

        // The same commands again change nothing: the ledger knows each result is recorded.
        send("finance", results.commands().get(0), "again");
        assertThat(out.reason).isEqualTo(Reason.PAYOUT_ALREADY_RECORDED);
        assertThatThrownBy(() -> PayoutBatch.of(settlement, state::merchant, Batches.CUSTODY, Batches.CREATED, "p"))
                .hasMessageContaining("has no payout waiting for the bank");
        // The batch as it was sent still makes the same file, byte for byte: written again, it is the same file.
        final PayoutBatch again = PayoutBatch.asSent(settlement, state::merchant, Batches.CUSTODY, Batches.CREATED,
                "结算款 2026-11-24");
        final PayoutFiles.Written rewritten = PayoutFiles.write(directory, Pain001Writer.write(again));
        assertThat(rewritten.created()).isFalse();
        assertThat(rewritten.sha256()).isEqualTo(pain.sha256());
    }
}
