package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.CardStatus;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/**
 * Decisions on the risk review queue: a flagged entry is confirmed or cleared once, by a supervisor or finance, with
 * who and when kept; confirming can freeze the card at once; an unknown or overwritten entry is refused; decisions
 * survive a snapshot, and a state without any keeps its old format.
 */
class RiskReviewTest {
    private static final long THRESHOLD = 20_000;

    /** A ledger whose purchases of {@link #THRESHOLD} or more are flagged, and a card with money on it. */
    private static TestLedger flagging(final TestLedger t) {
        t.system(new SetParameter("largeAmountThreshold", THRESHOLD));
        return t;
    }

    /** A large purchase: approved, flagged, queued; returns the review entry's id. */
    private static long flaggedPurchase(final TestLedger t, final String terminal, final String pan) {
        final Outcome out = t.purchase(terminal, pan, THRESHOLD + 1);
        assertThat(out.reason).isEqualTo(Reason.APPROVED);
        assertThat(out.riskFlags & Outcome.FLAG_LARGE_AMOUNT).isNotZero();
        return t.state().review().written();
    }

    @Test
    void aSupervisorConfirmsFinanceClearsAndNeitherDecidesTwice() {
        final TestLedger t = flagging(TestLedger.standard());
        final String pan = t.sell(ANON_BIN, 1, 90_000);
        final long first = flaggedPurchase(t, TERMINAL, pan);
        final long second = flaggedPurchase(t, TERMINAL, pan);
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        final ReviewQueue review = t.state().review();
        assertThat(review.state(review.indexOf(first))).isEqualTo(ReviewQueue.State.OPEN);

        t.admin("supervisor", new ConfirmFlag(first, false));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value1).isEqualTo(first);
        assertThat(t.out.value2).as("no card frozen").isZero();
        final int i = review.indexOf(first);
        assertThat(review.state(i)).isEqualTo(ReviewQueue.State.CONFIRMED);
        assertThat(review.decidedBy(i)).isEqualTo(t.state().operatorIndex("supervisor"));
        assertThat(review.decidedDay(i)).isEqualTo(t.state().businessDay());
        assertThat(t.state().cards().status(t.card(pan))).isEqualTo(CardStatus.ACTIVE);

        t.system(new Cutover(START_DATE + 1));
        t.admin("finance", new ClearFlag(second));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(review.state(review.indexOf(second))).isEqualTo(ReviewQueue.State.CLEARED);
        assertThat(review.decidedDay(review.indexOf(second))).isEqualTo(t.state().businessDay());
        assertThat(review.decidedBy(review.indexOf(second))).isEqualTo(t.state().operatorIndex("finance"));

        t.admin("supervisor2", new ClearFlag(first));
        assertThat(t.out.reason).isEqualTo(Reason.REVIEW_ALREADY_DECIDED);
        assertThat(t.out.detail).contains("CONFIRMED").contains("supervisor");
        t.admin("finance2", new ConfirmFlag(second, false));
        assertThat(t.out.reason).isEqualTo(Reason.REVIEW_ALREADY_DECIDED);
        t.admin("supervisor", new ConfirmFlag(first, false));
        assertThat(t.out.reason).isEqualTo(Reason.REVIEW_ALREADY_DECIDED);
        assertThat(review.state(review.indexOf(first))).isEqualTo(ReviewQueue.State.CONFIRMED);
        assertThat(review.state(review.indexOf(second))).isEqualTo(ReviewQueue.State.CLEARED);
    }

    @Test
    void onlySupervisorsAndFinanceDecideAndAScopedOneOnlyItsMerchantsTransactions() {
        final TestLedger t = flagging(TestLedger.standard());
        t.system(new UpsertOperator("shopboss", "Shop supervisor", Role.SUPERVISOR, MERCHANT2, OperatorStatus.ACTIVE, "$h"));
        final String pan = t.sell(ANON_BIN, 2, 90_000);
        final long atMerchant = flaggedPurchase(t, TERMINAL, pan);
        final long atMerchant2 = flaggedPurchase(t, TERMINAL2, pan);
        for (final String operator : new String[] {"clerk", "auditor", "administrator"}) {
            t.admin(operator, new ConfirmFlag(atMerchant, false));
            assertThat(t.out.reason).as(operator).isEqualTo(Reason.ROLE_NOT_PERMITTED);
            t.admin(operator, new ClearFlag(atMerchant));
            assertThat(t.out.reason).as(operator).isEqualTo(Reason.ROLE_NOT_PERMITTED);
        }
        t.admin("shopboss", new ClearFlag(atMerchant));
        assertThat(t.out.reason).isEqualTo(Reason.OUTSIDE_MERCHANT_SCOPE);
        t.admin("shopboss", new ClearFlag(atMerchant2));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().review().state(t.state().review().indexOf(atMerchant))).isEqualTo(ReviewQueue.State.OPEN);
    }

    @Test
    void anUnknownOrOverwrittenEntryIsRefused() {
        final TestLedger t = flagging(TestLedger.standard(withReviewQueue(LedgerConfig.small(), 2)));
        t.admin("supervisor", new ConfirmFlag(1, false));
        assertThat(t.out.reason).isEqualTo(Reason.REVIEW_ENTRY_NOT_FOUND);
        assertThat(t.out.detail).contains("empty");
        final String pan = t.sell(ANON_BIN, 3, 90_000);
        flaggedPurchase(t, TERMINAL, pan);
        flaggedPurchase(t, TERMINAL, pan);
        flaggedPurchase(t, TERMINAL, pan);
        for (final long id : new long[] {0, -1, 1, 4, Long.MAX_VALUE}) {
            t.admin("supervisor", new ClearFlag(id));
            assertThat(t.out.reason).as("entry %d", id).isEqualTo(Reason.REVIEW_ENTRY_NOT_FOUND);
        }
        assertThat(t.out.detail).contains("2 to 3");
        t.admin("supervisor", new ClearFlag(2));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);

        // An entry overwritten by the ring starts open: its slot's old decision does not stay with the new entry.
        final String another = t.sell(ANON_BIN, 4, 90_000);
        flaggedPurchase(t, TERMINAL, another);
        flaggedPurchase(t, TERMINAL, another);
        assertThat(t.state().review().state(0)).isEqualTo(ReviewQueue.State.OPEN);
        assertThat(t.state().review().state(1)).isEqualTo(ReviewQueue.State.OPEN);
    }

    @Test
    void confirmingWithFreezeCardFreezesTheCardInTheSameStepForThoseWhoMayFreeze() {
        final TestLedger t = flagging(TestLedger.standard());
        final String pan = t.sell(ANON_BIN, 4, 90_000);
        final long entry = flaggedPurchase(t, TERMINAL, pan);

        t.admin("finance", new ConfirmFlag(entry, true));
        assertThat(t.out.reason).as("finance does not freeze cards").isEqualTo(Reason.ROLE_NOT_PERMITTED);
        assertThat(t.state().review().state(t.state().review().indexOf(entry))).isEqualTo(ReviewQueue.State.OPEN);

        t.admin("supervisor", new ConfirmFlag(entry, true));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value2).isEqualTo(1);
        assertThat(t.state().cards().status(t.card(pan))).isEqualTo(CardStatus.FROZEN);
        assertThat(t.purchase(TERMINAL, pan, 100).reason).isEqualTo(Reason.CARD_FROZEN);

        // A card no longer active is left as it is; the confirmation still counts.
        final long again = flaggedPurchase(t, TERMINAL, t.sell(ANON_BIN, 5, 90_000));
        t.admin("supervisor", new BlacklistCard(pan(ANON_BIN, 5)));
        t.admin("supervisor", new ConfirmFlag(again, true));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.out.value2).isZero();
        assertThat(t.state().cards().status(t.card(pan(ANON_BIN, 5)))).isEqualTo(CardStatus.BLACKLISTED);
    }

    @Test
    void aReplacedCardIsFrozenAsTheCardThatReplacedItAndARetiredTransactionHasNoCard() {
        final TestLedger t = flagging(TestLedger.standard());
        final String old = t.sell(NAMED_BIN, 6, 90_000);
        final long entry = flaggedPurchase(t, TERMINAL, old);
        final String replacement = pan(NAMED_BIN, 7);
        t.admin("clerk", new ReplaceCard(old, replacement));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.admin("supervisor", new ConfirmFlag(entry, true));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().cards().status(t.card(replacement))).isEqualTo(CardStatus.FROZEN);

        final String other = t.sell(ANON_BIN, 8, 90_000);
        final long retired = flaggedPurchase(t, TERMINAL, other);
        t.system(new SetParameter("refundWindowDays", 0));
        t.system(new SetParameter("transactionsKeptDays", 1));
        t.system(new Cutover(START_DATE + 1));
        t.system(new Cutover(START_DATE + 3));
        t.admin("supervisor", new ConfirmFlag(retired, true));
        assertThat(t.out.reason).isEqualTo(Reason.ORIGINAL_NOT_FOUND);
        assertThat(t.out.detail).contains("FREEZE_CARD");
        t.admin("supervisor", new ConfirmFlag(retired, false));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
    }

    @Test
    void aFlaggedCounterSaleIsDecidedLikeATransactionAndNamesItsFirstCard() {
        final TestLedger t = TestLedger.standard();
        t.system(new SetParameter("realNameSaleThreshold", 100_000));
        String first = null;
        for (int i = 0; i < 2; i++) {
            final String pan = pan(ANON_BIN, 20 + i);
            t.admin("clerk", new SellCards(pan, 1, 95_000, PaymentMethod.CASH, SalesChannel.COUNTER, BuyerKind.PERSON, "", "",
                    "", "", "", "", ""));
            assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
            first = pan;
        }
        assertThat(t.out.riskFlags & Outcome.FLAG_NEAR_REAL_NAME_THRESHOLD).isNotZero();
        final ReviewQueue review = t.state().review();
        assertThat(review.source(review.indexOf(review.written()))).isEqualTo(ReviewQueue.COUNTER_SALE);
        t.admin("supervisor", new ConfirmFlag(review.written(), true));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        assertThat(t.state().cards().status(t.card(first))).isEqualTo(CardStatus.FROZEN);

        t.system(new UpsertOperator("shopboss", "Shop supervisor", Role.SUPERVISOR, MERCHANT, OperatorStatus.ACTIVE, "$h"));
        t.admin("clerk", new SellCards(pan(ANON_BIN, 22), 1, 95_000, PaymentMethod.CASH, SalesChannel.COUNTER,
                BuyerKind.PERSON, "", "", "", "", "", "", ""));
        t.admin("shopboss", new ClearFlag(review.written()));
        assertThat(t.out.reason).as("a counter sale belongs to no merchant").isEqualTo(Reason.OUTSIDE_MERCHANT_SCOPE);
    }

    @Test
    void decisionsSurviveASnapshotAndAStateWithoutThemKeepsItsFormat() {
        final TestLedger t = flagging(TestLedger.standard());
        final String pan = t.sell(ANON_BIN, 9, 90_000);
        final long confirmed = flaggedPurchase(t, TERMINAL, pan);
        final long cleared = flaggedPurchase(t, TERMINAL, pan);
        final long open = flaggedPurchase(t, TERMINAL, pan);
        assertThat(AuditTrailTest.stateVersion(t.ledger)).as("flagged entries alone: the old format").isEqualTo(1);

        t.admin("supervisor", new ConfirmFlag(confirmed, true));
        t.admin("finance", new ClearFlag(cleared));
        assertThat(AuditTrailTest.stateVersion(t.ledger)).isEqualTo(3);
        final byte[] bytes = AuditTrailTest.snapshot(t.ledger);
        final Ledger restored = Ledger.readSnapshot(new ByteArrayInputStream(bytes), LedgerConfig.small()).ledger();
        assertThat(AuditTrailTest.snapshot(restored)).isEqualTo(bytes);
        assertThat(restored.digestHex()).isEqualTo(t.ledger.digestHex());
        final ReviewQueue review = restored.state().review();
        assertThat(review.state(review.indexOf(confirmed))).isEqualTo(ReviewQueue.State.CONFIRMED);
        assertThat(review.decidedBy(review.indexOf(confirmed))).isEqualTo(t.state().operatorIndex("supervisor"));
        assertThat(review.state(review.indexOf(cleared))).isEqualTo(ReviewQueue.State.CLEARED);
        assertThat(review.decidedBy(review.indexOf(cleared))).isEqualTo(t.state().operatorIndex("finance"));
        assertThat(review.state(review.indexOf(open))).isEqualTo(ReviewQueue.State.OPEN);
        assertThat(restored.state().audit().isOpen()).isFalse();

        t.mirror = restored;
        t.admin("supervisor", new ConfirmFlag(cleared, false));
        assertThat(t.out.reason).isEqualTo(Reason.REVIEW_ALREADY_DECIDED);
        t.admin("supervisor", new ConfirmFlag(open, false));
        assertThat(restored.digestHex()).isEqualTo(t.ledger.digestHex());
    }

    private static LedgerConfig withReviewQueue(final LedgerConfig c, final int capacity) {
        return new LedgerConfig(c.maxCards(), c.transactionLogCapacity(), c.maxOpenHolds(), c.maxMerchants(),
                c.maxTerminals(), c.maxOperators(), c.maxCardTypes(), c.maxBinRanges(), c.maxRules(), c.maxPendingRequests(),
                capacity, c.adminRequestMemory(), c.calendarDays(), c.maxBatchCards(), c.auditEntries());
    }
}
