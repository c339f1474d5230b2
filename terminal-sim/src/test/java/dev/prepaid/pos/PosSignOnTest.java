package dev.prepaid.pos;

import static dev.prepaid.pos.PosTestSupport.MAK_KCV;
import static dev.prepaid.pos.PosTestSupport.PIK_KCV;
import static dev.prepaid.pos.PosTestSupport.VECTOR_KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyLayout;
import dev.prepaid.security.MacFunction;
import org.junit.jupiter.api.Test;

/** Sign-on: field 62's check values decide whether the terminal takes the keys; 60.2 gives the batch. */
class PosSignOnTest {
    @Test
    void goodCheckValuesInstallTheKeysAndTheBatchIsAdopted() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            fake.fixedKeys = VECTOR_KEYS;
            fake.batchToAdopt = 42;
            final PosResult result = pos.signOn();
            assertThat(result.status()).isEqualTo(PosResult.Status.ANSWERED);
            assertThat(result.approved()).isTrue();
            assertThat(pos.signedOn()).isTrue();
            assertThat(pos.pikCheckValue()).isEqualTo(PIK_KCV);
            assertThat(pos.makCheckValue()).isEqualTo(MAK_KCV);
            assertThat(result.batch()).isEqualTo(42);
            assertThat(pos.batch()).isEqualTo(42);
            assertThat(result.toString()).contains("signon", "00 approved", "pik.kcv=8D0A74B8", "mak.kcv=AB7153CA")
                    .doesNotContain(PosTestSupport.PIK_CLEAR).doesNotContain(PosTestSupport.MAK_CLEAR);
            assertThat(pos.purchase(PosTestSupport.manualCard(), 100).batch()).isEqualTo(42);
        }
    }

    @Test
    void aCheckValueThatDoesNotMatchLeavesTheTerminalWithoutKeys() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            fake.corruptKcv = true;
            final PosResult result = pos.signOn();
            assertThat(result.status()).isEqualTo(PosResult.Status.KEY_ERROR);
            assertThat(result.responseCode()).isEqualTo("00");
            assertThat(result.approved()).isFalse();
            assertThat(result.detail()).contains("MAK check value mismatch");
            assertThat(pos.signedOn()).isFalse();
            assertThat(fake.drain()).hasSize(1);

            final PosResult sale = pos.purchase(PosTestSupport.manualCard(), 100);
            assertThat(sale.status()).isEqualTo(PosResult.Status.NOT_SENT);
            assertThat(sale.detail()).isEqualTo("not signed on");
            assertThat(sale.request()).isNull();
            assertThat(pos.stan()).as("nothing sent, no STAN used").isEqualTo(1);

            fake.corruptKcv = false;
            assertThat(pos.signOn().approved()).isTrue();
            assertThat(pos.purchase(PosTestSupport.manualCard(), 100).approved()).isTrue();
        }
    }

    @Test
    void keysUnderAnotherTmkFailThePikCheck() throws Exception {
        for (final KeyLayout layout : KeyLayout.values()) {
            try (FakeSwitch fake = PosTestSupport.fakeSwitch(layout, MacFunction.CUP_ECB);
                 PosTerminal pos = PosTestSupport.terminal(fake).keyLayout(layout).build()) {
                fake.field62Key = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
                final PosResult result = pos.signOn();
                assertThat(result.status()).as(layout.toString()).isEqualTo(PosResult.Status.KEY_ERROR);
                assertThat(result.detail()).contains("PIK check value mismatch");
                assertThat(pos.signedOn()).isFalse();
            }
        }
    }

    @Test
    void aRefusedSignOnIsReportedAndLeavesNoKeys() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            fake.answer("SIGN_ON", "97");
            final PosResult result = pos.signOn();
            assertThat(result.status()).isEqualTo(PosResult.Status.ANSWERED);
            assertThat(result.responseCode()).isEqualTo("97");
            assertThat(result.responseMeaning()).isEqualTo("terminal not registered");
            assertThat(pos.signedOn()).isFalse();
        }
    }

    @Test
    void aNewBatchFromTheSwitchDropsTheOldBatchesTotals() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            pos.signOn();
            assertThat(pos.purchase(PosTestSupport.manualCard(), 100).approved()).isTrue();
            assertThat(pos.totals()).isEqualTo(new BatchTotals(100, 1, 0, 0));
            fake.batchToAdopt = 7;
            final PosResult again = pos.signOn();
            assertThat(again.approved()).isTrue();
            assertThat(again.detail()).contains("batch 000001 replaced by the switch's 000007", "1 transaction(s)");
            assertThat(pos.batch()).isEqualTo(7);
            assertThat(pos.totals()).isEqualTo(BatchTotals.ZERO);
        }
    }

    @Test
    void automaticSignOnPrecedesTheFirstTransaction() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).autoSignOn(true).build()) {
            final PosResult sale = pos.purchase(PosTestSupport.manualCard(), 100);
            assertThat(sale.approved()).isTrue();
            assertThat(sale.preliminaries()).extracting(PosResult::operation).containsExactly(PosOperation.SIGN_ON);
            assertThat(sale.stan()).isEqualTo(2);
            assertThat(fake.takeMessage().mti()).isEqualTo(800);
            assertThat(fake.takeMessage().mti()).isEqualTo(200);
        }
    }

    @Test
    void signOffDropsTheKeys() throws Exception {
        try (FakeSwitch fake = PosTestSupport.fakeSwitch();
             PosTerminal pos = PosTestSupport.terminal(fake).build()) {
            pos.signOn();
            assertThat(pos.signOff().approved()).isTrue();
            assertThat(pos.signedOn()).isFalse();
            assertThat(pos.balance(PosTestSupport.manualCard()).status()).isEqualTo(PosResult.Status.NOT_SENT);
        }
    }
}
