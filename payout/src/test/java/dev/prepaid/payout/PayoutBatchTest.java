package dev.prepaid.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.MerchantProfile;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.time.CivilDate;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The input model: built from the ledger's settlement batch, and refusing what the payout files cannot say. */
class PayoutBatchTest {
    private static final int DAY = CivilDate.epochDay(20261124);

    private static Merchant merchant(final int index, final String id, final String account) {
        return new Merchant(index, new MerchantProfile(id, "Shop " + id, "5411", MerchantStatus.ACTIVE,
                SettlementCycle.T_PLUS_1, 1, 0, RefundFeePolicy.NONE, true, account, "Account of " + id, "ICBC Pudong",
                "102290000011"));
    }

    private static final Merchant[] MERCHANTS = {
            merchant(0, "888310048990001", "6222020200998877001"),
            merchant(1, "888310048990002", "6222020200998877002"),
            merchant(2, "888310048990003", "6222020200998877003"),
    };

    /** Batch 12 of merchants 0, 2 and 1, approved: every line sent to the bank. */
    private static SettlementBatch approved() {
        final SettlementBatch batch = new SettlementBatch(12, DAY, "finance", new int[] {0, 2, 1},
                new long[] {10_000, 250, 99_999}, new long[] {0, 100, 0});
        batch.state(SettlementBatch.APPROVED);
        for (int i = 0; i < batch.lines(); i++) {
            batch.lineResult(i, SettlementBatch.LINE_SENT, "");
        }
        return batch;
    }

    private static PayoutBatch of(final SettlementBatch settlement, final Merchant... merchants) {
        return PayoutBatch.of(settlement, i -> i < merchants.length ? merchants[i] : null, Batches.CUSTODY,
                Batches.CREATED, "结算款 2026-11-24");
    }

    @Test
    void anApprovedSettlementBecomesOneLinePerMerchantInTheBatchOrder() {
        final PayoutBatch batch = of(approved(), MERCHANTS);
        assertThat(batch.batchId()).isEqualTo(12);
        assertThat(batch.businessDate()).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(batch.createdAt()).isEqualTo(Batches.CREATED);
        assertThat(batch.count()).isEqualTo(3);
        assertThat(batch.totalFen()).isEqualTo(10_000 + 250 + 99_999);
        final PayoutLine second = batch.lines().get(1);
        assertThat(second).isEqualTo(new PayoutLine("888310048990003", "Account of 888310048990003",
                "6222020200998877003", "ICBC Pudong", "102290000011", 250, "结算款 2026-11-24", "12-888310048990003"));
        assertThat(batch.lines()).extracting(PayoutLine::endToEndId)
                .containsExactly("12-888310048990001", "12-888310048990003", "12-888310048990002");
    }

    @Test
    void aLineThatOnlyCollectsRechargeCashPaysNothingInEitherFile() {
        final SettlementBatch settlement = new SettlementBatch(13, DAY, "finance", new int[] {0, 1},
                new long[] {10_000, 0}, new long[] {0, 0}, new dev.prepaid.clearing.Payee[2], new long[] {0, 5_000});
        settlement.state(SettlementBatch.APPROVED);
        settlement.lineResult(0, SettlementBatch.LINE_SENT, "");
        settlement.lineResult(1, SettlementBatch.LINE_NONE, "");
        assertThat(of(settlement, MERCHANTS).lines()).extracting(PayoutLine::merchantId).containsExactly("888310048990001");
        assertThat(PayoutBatch.asSent(settlement, i -> MERCHANTS[i], Batches.CUSTODY, Batches.CREATED, "x").totalFen())
                .isEqualTo(10_000);
    }

    @Test
    void deployerLinesPayEachDeployerUnderItsCodeAfterTheMerchants() {
        final SettlementBatch settlement = approved();
        final dev.prepaid.merchant.DeployerProfile profile = new dev.prepaid.merchant.DeployerProfile("DEP01",
                "East agents", "6222020200991234567", "East Agents Ltd.", "ICBC Shanghai", "102290000011");
        final dev.prepaid.merchant.Deployer deployer = new dev.prepaid.merchant.Deployer(0, profile);
        settlement.deployerLines(new int[] {0}, new long[] {321}, new dev.prepaid.clearing.Payee[] {
            dev.prepaid.clearing.Payee.of(profile)});
        settlement.deployerResult(0, SettlementBatch.LINE_SENT, "");
        final PayoutBatch batch = PayoutBatch.of(settlement, i -> MERCHANTS[i], d -> deployer, Batches.CUSTODY,
                Batches.CREATED, "结算款 2026-11-24");
        assertThat(batch.count()).isEqualTo(4);
        assertThat(batch.totalFen()).isEqualTo(10_000 + 250 + 99_999 + 321);
        assertThat(batch.lines().get(3)).isEqualTo(new PayoutLine("DEP01", "East Agents Ltd.", "6222020200991234567",
                "ICBC Shanghai", "102290000011", 321, "结算款 2026-11-24", "12-DEP01"));
        settlement.deployerResult(0, SettlementBatch.LINE_PAID, "B9");
        assertThat(PayoutBatch.of(settlement, i -> MERCHANTS[i], d -> deployer, Batches.CUSTODY, Batches.CREATED, "x")
                .count()).isEqualTo(3);
        assertThat(PayoutBatch.asSent(settlement, i -> MERCHANTS[i], d -> deployer, Batches.CUSTODY, Batches.CREATED,
                "x").count()).isEqualTo(4);
    }

    @Test
    void onlyLinesStillWaitingForTheBankAreSent() {
        final SettlementBatch settlement = approved();
        settlement.lineResult(0, SettlementBatch.LINE_PAID, "B1");
        settlement.lineResult(2, SettlementBatch.LINE_FAILED, "B2");
        final PayoutBatch batch = of(settlement, MERCHANTS);
        assertThat(batch.lines()).extracting(PayoutLine::merchantId).containsExactly("888310048990003");
        settlement.lineResult(1, SettlementBatch.LINE_PAID, "B3");
        assertThatThrownBy(() -> of(settlement, MERCHANTS))
                .hasMessage("settlement 12 has no payout waiting for the bank: every line has its result");
    }

    @Test
    void aBatchNotApprovedIsNotPaid() {
        final SettlementBatch prepared = new SettlementBatch(13, DAY, "finance", new int[] {0}, new long[] {1},
                new long[] {0});
        assertThatThrownBy(() -> of(prepared, MERCHANTS)).hasMessageContaining("settlement 13 is not approved yet");
        prepared.state(SettlementBatch.REJECTED);
        assertThatThrownBy(() -> of(prepared, MERCHANTS)).hasMessageContaining("settlement 13 was rejected");
    }

    @Test
    void aMerchantsBankDetailsTheFilesCannotCarryAreRefusedNamingTheMerchant() {
        final Merchant[] longAccount = {MERCHANTS[0], MERCHANTS[1], merchant(2, "888310048990003", "6".repeat(40))};
        assertThatThrownBy(() -> of(approved(), longAccount))
                .hasMessage("account of merchant 888310048990003 is 40 characters long (UTF-16 units); the payout files"
                        + " carry at most 34");
        final Merchant[] noAccount = {merchant(0, "888310048990001", ""), MERCHANTS[1], MERCHANTS[2]};
        assertThatThrownBy(() -> of(approved(), noAccount)).hasMessage("account of merchant 888310048990001 is missing");
        assertThatThrownBy(() -> of(approved(), MERCHANTS[0], MERCHANTS[1]))
                .hasMessage("settlement 12 line 2 is for merchant index 2, which the ledger does not have");
    }

    @Test
    void aLineRefusesAMissingAccountANonPositiveAmountAndABadBankCode() {
        assertThatThrownBy(() -> PayoutLine.of(1, "M1", "Shop", null, "ICBC", "102290000011", 100, "p"))
                .hasMessage("account of merchant M1 is missing");
        assertThatThrownBy(() -> PayoutLine.of(1, "M1", "Shop", "6222 0202", "ICBC", "102290000011", 100, "p"))
                .hasMessage("account of merchant M1 has U+0020 at character 5; it must be printable ASCII without spaces");
        assertThatThrownBy(() -> PayoutLine.of(1, "M1", "Shop", "6222", "ICBC", "102290000011", 0, "p"))
                .hasMessage("amount of merchant M1 must be positive, got 0 fen");
        assertThatThrownBy(() -> PayoutLine.of(1, "M1", "Shop", "6222", "ICBC", "102290000011", -5, "p"))
                .hasMessage("amount of merchant M1 must be positive, got -5 fen");
        assertThatThrownBy(() -> PayoutLine.of(1, "M1", "Shop", "6222", "ICBC", "10229000001", 100, "p"))
                .hasMessage("CNAPS code of merchant M1 '10229000001' must be 12 digits");
        assertThatThrownBy(() -> PayoutLine.of(1, "M1", "Shop", "6222", "ICBC", "102290000011",
                PayoutLine.MAX_AMOUNT_FEN + 1, "p"))
                .hasMessage("amount of merchant M1 is 10000000000000000.00; pain.001 carries at most 9999999999999999.99");
        assertThatThrownBy(() -> PayoutLine.of(1, "M1234567890123456", "Shop", "6222", "ICBC", "102290000011", 1, "p"))
                .hasMessageContaining("merchant id is 17 characters long");
    }

    @Test
    void textTheFilesCannotCarryIsRefusedNotAltered() {
        assertThatThrownBy(() -> Batches.line(1, "M1", "Tab\there", 1))
                .hasMessage("payee name of merchant M1 has U+0009 at character 4; the payout files cannot carry it");
        assertThatThrownBy(() -> Batches.line(1, "M1", "Two\nlines", 1)).hasMessageContaining("U+000A");
        assertThatThrownBy(() -> Batches.line(1, "M1", "C1\u0085control", 1)).hasMessageContaining("U+0085");
        assertThatThrownBy(() -> Batches.line(1, "M1", "half \uD840 a pair", 1)).hasMessageContaining("U+D840");
        assertThatThrownBy(() -> Batches.line(1, "M1", "not a char \uFFFE", 1)).hasMessageContaining("U+FFFE");
        assertThatThrownBy(() -> Batches.line(1, "M1", "   ", 1)).hasMessage("payee name of merchant M1 is only spaces");
        assertThatThrownBy(() -> Batches.line(1, "M1", "名".repeat(141), 1))
                .hasMessageContaining("is 141 characters long");
        // A character outside the BMP counts two, as the schema validators count it.
        assertThatThrownBy(() -> Batches.line(1, "M1", "名".repeat(139) + "𠀀", 1))
                .hasMessageContaining("is 141 characters long");
        assertThat(Batches.line(1, "M1", "名".repeat(140), 1).payeeName()).hasSize(140);
    }

    @Test
    void theBatchChecksItsLinesBelongToIt() {
        final PayoutLine ofBatch7 = Batches.line(7, "M1", "Shop", 100);
        assertThatThrownBy(() -> new PayoutBatch(8, Batches.DATE, Batches.CREATED, Batches.CUSTODY, List.of(ofBatch7)))
                .hasMessage("line 1 has end-to-end id 7-M1; batch 8 names it 8-M1");
        assertThatThrownBy(() -> new PayoutBatch(7, Batches.DATE, Batches.CREATED, Batches.CUSTODY,
                List.of(ofBatch7, Batches.line(7, "M2", "Other", 5), Batches.line(7, "M1", "Again", 1))))
                .hasMessage("merchant M1 has lines 1 and 3 in batch 7; a merchant is paid once per batch");
        assertThatThrownBy(() -> new PayoutBatch(7, Batches.DATE, Batches.CREATED, Batches.CUSTODY, List.of()))
                .hasMessage("batch 7 has no payout line");
        assertThatThrownBy(() -> new PayoutBatch(0, Batches.DATE, Batches.CREATED, Batches.CUSTODY, List.of(ofBatch7)))
                .hasMessage("batch id must be positive, got 0");
        assertThatThrownBy(() -> new PayoutBatch(7, Batches.DATE, Batches.CREATED, Batches.CUSTODY, List.of(
                Batches.line(7, "M1", "A", PayoutLine.MAX_AMOUNT_FEN), Batches.line(7, "M2", "B", 1))))
                .hasMessageContaining("batch 7 totals more than 9999999999999999.99");
    }

    @Test
    void theEndToEndIdIsTheBatchAndTheMerchant() {
        assertThat(PayoutLine.endToEndId(7, "888310048990001")).isEqualTo("7-888310048990001");
        assertThat(PayoutLine.endToEndId(Long.MAX_VALUE, "M".repeat(15))).hasSize(35);
        assertThat(PayoutLine.endToEndId(7, "A-B")).isEqualTo("7-A-B");
    }

    @Test
    void theDebtorsBankIsNamedByBicOrCnapsCode() {
        assertThatThrownBy(() -> new Debtor("Custody", "1001", "ICBC", null, null))
                .hasMessage("the debtor's bank needs a BIC or a CNAPS code");
        assertThatThrownBy(() -> new Debtor("Custody", "1001", "ICBC", "icbkcnbj", null))
                .hasMessageContaining("debtor BIC 'icbkcnbj' is not a BIC");
        assertThatThrownBy(() -> new Debtor("Custody", "", "ICBC", "ICBKCNBJ", null))
                .hasMessage("debtor account is missing");
        assertThat(new Debtor("Custody", "1001", "ICBC", "ICBKCNBJXXX", "102100000001").bic()).isEqualTo("ICBKCNBJXXX");
    }
}
