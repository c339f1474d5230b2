package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.Reason;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.Deployer;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.TerminalStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deployer shares paid to each deployer (domain-rules §4): deployers are registered (UPSERT_DEPLOYER), a terminal's
 * deployer code links it to one, its shares go to that deployer's 2205 sub-account at the cut-over, and the settlement
 * batch pays each deployer on a line of its own, in the payout files, whose result is booked by its code. Terminals of
 * no registered deployer keep the unassigned pool of 2205, as before.
 */
class DeployerSharesTest {
    private static final String AGENT = "AGENT01";
    private static final String OTHER = "AGENT02";

    private TestLedger t;
    private String card;

    @BeforeEach
    void setUp() {
        t = TestLedger.standard();
        card = t.sell(ANON_BIN, 0, 100_000);
        t.feeRule(1, MERCHANT, FeeMethod.PERCENT, 10_000, 0, 0, 0);          // 1 %
        t.feeRule(2, MERCHANT2, FeeMethod.PERCENT, 10_000, 0, 0, 0);
        deployer(AGENT);
        deployer(OTHER);
        terminal(TERMINAL, MERCHANT, AGENT, 500_000);                       // half the fee
        terminal(TERMINAL2, MERCHANT2, OTHER, 200_000);
        terminal(TERMINAL_B, MERCHANT, "unregistered", 500_000);
    }

    private void deployer(final String code) {
        t.admin("administrator", new UpsertDeployer(code, "Agent " + code, "62220000" + code.hashCode(), "Agent ltd",
                "ICBC", "102100000009"));
        assertThat(t.out.reason).as(t.out.toString()).isEqualTo(Reason.APPROVED);
    }

    private void terminal(final String id, final String merchant, final String deployer, final long ratePpm) {
        t.system(new UpsertTerminal(id, merchant, "SN" + id, TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "tmk." + id,
                deployer, DeployerShareMethod.FEE_RATIO, ratePpm));
    }

    private Deployer agent(final String code) {
        return t.state().deployer(code);
    }

    private long books(final Account account) {
        return t.state().books().balance(account);
    }

    @Test
    void eachDeployerIsOwedTheSharesOfItsTerminalsAndTheRestStaysInThePool() {
        t.purchase(TERMINAL, card, 10_000);       // fee 100, share 50
        t.purchase(TERMINAL2, card, 20_000);      // fee 200, share 40
        t.purchase(TERMINAL_B, card, 6_000);      // fee 60, share 30, no registered deployer
        assertThat(agent(AGENT).shareAccrued()).isEqualTo(50);
        assertThat(agent(OTHER).shareAccrued()).isEqualTo(40);
        t.system(new Cutover(20261124));
        assertThat(agent(AGENT).payable()).isEqualTo(50);
        assertThat(agent(OTHER).payable()).isEqualTo(40);
        assertThat(agent(AGENT).shareAccrued()).isZero();
        assertThat(books(Account.DEPLOYER_PAYABLE)).isEqualTo(120);
        assertThat(t.state().books().unassignedShares()).isEqualTo(30);
        assertThat(books(Account.COMMISSION_EXPENSE)).isEqualTo(120);
    }

    @Test
    void theSettlementPaysEachDeployerOnALineOfItsOwn() {
        t.purchase(TERMINAL, card, 10_000);
        t.purchase(TERMINAL2, card, 20_000);
        t.system(new Cutover(20261124));
        final long operator = books(Account.OPERATOR_BANK);
        t.admin("finance", new PrepareSettlement());
        final SettlementBatch batch = t.state().settlements().get(t.out.value1);
        assertThat(batch.deployerLines()).isEqualTo(2);
        assertThat(batch.deployerAmount(0)).isEqualTo(50);
        assertThat(batch.deployerAmount(1)).isEqualTo(40);
        assertThat(batch.deployerPayee(0).accountName()).isEqualTo("Agent ltd");
        assertThat(t.out.value2).as("total: merchants and deployers").isEqualTo(batch.total())
                .isEqualTo(10_000 - 100 + 20_000 - 200 + 90);
        t.admin("finance2", new Approve(batch.id()));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(agent(AGENT).payable()).isZero();
        assertThat(batch.deployerState(0)).isEqualTo(SettlementBatch.LINE_SENT);
        assertThat(books(Account.OPERATOR_BANK)).as("the operator funds the shares into custody").isEqualTo(operator - 90);
        t.admin("finance", new RecordPayoutResult(batch.id(), AGENT, true, "D1"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).isEqualTo(50);
        t.admin("finance", new RecordPayoutResult(batch.id(), AGENT, true, "D1"));
        assertThat(t.out.reason).isEqualTo(Reason.PAYOUT_ALREADY_RECORDED);
        // A failed payout is owed to the deployer again, and the operator takes its money back out of custody.
        t.admin("finance", new RecordPayoutResult(batch.id(), OTHER, false, "R03 no account"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(agent(OTHER).payable()).isEqualTo(40);
        assertThat(books(Account.OPERATOR_BANK)).isEqualTo(operator - 50);
        t.admin("finance", new RecordPayoutResult(batch.id(), MERCHANT, true, "M1"));
        t.admin("finance", new RecordPayoutResult(batch.id(), MERCHANT2, true, "M2"));
        assertThat(batch.resolved()).isTrue();
        t.system(new Cutover(20261125));
        t.admin("finance", new PrepareSettlement());
        final SettlementBatch again = t.state().settlements().get(t.out.value1);
        assertThat(again.lines()).as("only the deployer is owed").isZero();
        assertThat(again.deployerLines()).isEqualTo(1);
        assertThat(again.deployerAmount(0)).isEqualTo(40);
    }

    @Test
    void sharesGivenBackAfterAPayoutAreCarriedForward() {
        t.system(new SetParameter("refundWindowDays", 20));
        t.purchase(TERMINAL, card, 10_000);
        final long rrn = t.out.rrn;
        t.system(new Cutover(20261124));
        t.admin("finance", new PrepareSettlement());
        final long id = t.out.value1;
        t.admin("finance2", new Approve(id));
        t.admin("finance", new RecordPayoutResult(id, AGENT, true, "D1"));
        t.pos(r -> t.on(r.kind(PosKind.REFUND), TERMINAL).amount(10_000).originalRrn(rrn));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(agent(AGENT).shareAccrued()).isEqualTo(-50);
        t.system(new Cutover(20261125));
        assertThat(agent(AGENT).payable()).as("owes it back, netted from its next shares").isEqualTo(-50);
        t.purchase(TERMINAL, card, 30_000);
        t.system(new Cutover(20261126));
        assertThat(agent(AGENT).payable()).isEqualTo(100);
    }

    @Test
    void aVoidTakesTheShareBackFromTheDeployerOfItsTerminal() {
        final int stan = t.stan;
        final int batch = t.state().terminal(TERMINAL).currentBatch();
        t.purchase(TERMINAL, card, 10_000);
        final long rrn = t.out.rrn;
        final int auth = t.out.authCode;
        t.pos(r -> t.on(r.kind(PosKind.PURCHASE_VOID), TERMINAL).pan(card).amount(10_000).originalRrn(rrn)
                .originalAuthCode(auth).original(batch, stan, 0));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(agent(AGENT).shareAccrued()).isZero();
        t.system(new Cutover(20261124));
        assertThat(agent(AGENT).payable()).isZero();
    }

    @Test
    void aTerminalIsLinkedByItsCodeWhenEitherIsRegistered() {
        assertThat(t.state().terminal(TERMINAL_B).deployerIndex()).isEqualTo(-1);
        deployer("unregistered");
        assertThat(t.state().terminal(TERMINAL_B).deployerIndex()).isEqualTo(agent("unregistered").index());
        terminal(TERMINAL_B, MERCHANT, AGENT, 500_000);
        assertThat(t.state().terminal(TERMINAL_B).deployerIndex()).isEqualTo(agent(AGENT).index());
        t.admin("administrator", new UpsertDeployer(AGENT, "Renamed", "6222", "Agent ltd", "ICBC", "102100000009"));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(agent(AGENT).profile().name()).isEqualTo("Renamed");
        assertThat(t.state().deployerCount()).isEqualTo(3);
    }

    @Test
    void refusals() {
        t.admin("clerk", new UpsertDeployer("X1", "X", "6222", "X", "ICBC", "102100000009"));
        assertThat(t.out.reason).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        t.admin("administrator", new UpsertDeployer("has space", "X", "6222", "X", "ICBC", "102100000009"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("administrator", new UpsertDeployer("X123456789012345", "X", "6222", "X", "ICBC", "102100000009"));
        assertThat(t.out.reason).as("16 characters").isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("administrator", new UpsertDeployer("X1", "X", "6222", "X", "ICBC", "1021"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("administrator", new UpsertDeployer("X1", "X", "", "X", "ICBC", "102100000009"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("administrator", new UpsertDeployer(MERCHANT, "X", "6222", "X", "ICBC", "102100000009"));
        assertThat(t.out.reason).isEqualTo(Reason.ALREADY_EXISTS);
        t.admin("administrator", merchant(AGENT, dev.prepaid.merchant.SettlementCycle.T_PLUS_1, 1, 0));
        assertThat(t.out.reason).as("a merchant id that is a deployer's code").isEqualTo(Reason.ALREADY_EXISTS);
        t.purchase(TERMINAL, card, 10_000);
        t.system(new Cutover(20261124));
        t.admin("finance", new PrepareSettlement());
        final long id = t.out.value1;
        t.admin("finance2", new Approve(id));
        t.admin("finance", new RecordPayoutResult(id, OTHER, true, "D"));
        assertThat(t.out.reason).as("owed nothing, so not in the batch").isEqualTo(Reason.PAYOUT_NOT_IN_BATCH);
    }

    @Test
    void deployersSurviveASnapshot() {
        t.purchase(TERMINAL, card, 10_000);
        t.system(new Cutover(20261124));
        t.admin("finance", new PrepareSettlement());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.ledger.writeSnapshot(out, 1);
        final Ledger.Restored restored = Ledger.readSnapshot(new ByteArrayInputStream(out.toByteArray()),
                LedgerConfig.small());
        assertThat(restored.ledger().digestHex()).isEqualTo(t.ledger.digestHex());
        assertThat(restored.ledger().state().terminal(TERMINAL).deployerIndex()).isEqualTo(agent(AGENT).index());
        assertThat(restored.ledger().state().books().unassignedShares()).isEqualTo(t.state().books().unassignedShares());
        t.mirror = restored.ledger();
        t.purchase(TERMINAL, card, 5_000);
        t.admin("finance2", new Approve(t.state().settlements().keySet().iterator().next()));
        t.system(new Cutover(20261125));
        assertThat(restored.ledger().digestHex()).isEqualTo(t.ledger.digestHex());
    }
}
