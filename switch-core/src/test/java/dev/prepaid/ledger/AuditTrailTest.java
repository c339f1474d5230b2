package dev.prepaid.ledger;

import static dev.prepaid.ledger.TestLedger.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.Pan;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Reason;
import dev.prepaid.ledger.AuditTrail.TargetKind;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The audit trail: every operator and system decision, approved or refused with its reason, as an entry of a
 * bounded ring that is part of the state — rebuilt by replay, written to snapshots, absent (byte for byte) from a
 * state that never opened it.
 */
class AuditTrailTest {
    private static final int SECTION_MARK = 0x5EC7_10A0;

    @Test
    void everyDecisionIsAnEntryApprovedOrRefusedWithItsReasonAndPosTransactionsAreNot() {
        final TestLedger t = TestLedger.standard().withAuditTrail(100);
        final AuditTrail trail = t.state().audit();
        assertThat(trail.size()).as("the opening is the trail's first entry").isEqualTo(1);
        assertEntry(t, 0, CommandType.OPEN_AUDIT_TRAIL, AuditTrail.SYSTEM, Reason.APPROVED, TargetKind.NONE, "");

        final String pan = pan(ANON_BIN, 3);
        final int clerk = t.state().operatorIndex("clerk");
        t.sell(ANON_BIN, 3, 10_000);
        final int sale = trail.size() - 2;
        assertEntry(t, sale, CommandType.SELL_CARDS, clerk, Reason.APPROVED, TargetKind.CARD, Pan.mask(pan));
        assertThat(trail.targetKey(sale)).isEqualTo(Pan.parseKey(pan));
        assertThat(trail.targetText(sale)).isEqualTo(pan.substring(0, 6) + "******" + pan.substring(12));
        assertEntry(t, sale + 1, CommandType.SET_PIN, clerk, Reason.APPROVED, TargetKind.CARD, Pan.mask(pan));

        final long sequence = t.ledger.lastSequence() + 1;
        final long timestamp = t.clock + 1_000;
        t.admin("clerk", 5_551, new FreezeCard(pan));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        last(t, CommandType.FREEZE_CARD, clerk, Reason.APPROVED, TargetKind.CARD, Pan.mask(pan));
        assertThat(trail.sequence(trail.size() - 1)).isEqualTo(sequence);
        assertThat(trail.timestamp(trail.size() - 1)).isEqualTo(timestamp);
        assertThat(trail.businessDate(trail.size() - 1)).isEqualTo(START_DATE);
        assertThat(trail.requestId(trail.size() - 1)).isEqualTo(5_551);
        assertThat(trail.flags(trail.size() - 1)).isZero();

        t.admin("clerk", new FreezeCard(pan));
        assertThat(t.out.reason).isEqualTo(Reason.ILLEGAL_TRANSITION);
        last(t, CommandType.FREEZE_CARD, clerk, Reason.ILLEGAL_TRANSITION, TargetKind.CARD, Pan.mask(pan));

        t.admin("clerk", new SetParameter("refundWindowDays", 3));
        last(t, CommandType.SET_PARAMETER, clerk, Reason.ROLE_NOT_PERMITTED, TargetKind.PARAMETER, "refundWindowDays");
        t.admin("clerk", new Cutover(START_DATE + 1));
        last(t, CommandType.CUTOVER, clerk, Reason.SYSTEM_ONLY, TargetKind.DATE, "");
        t.admin("mallory", new UnfreezeCard(pan));
        last(t, CommandType.UNFREEZE_CARD, AuditTrail.UNKNOWN_OPERATOR, Reason.OPERATOR_UNKNOWN, TargetKind.CARD,
                Pan.mask(pan));

        t.admin("clerk", 777, new UnfreezeCard(pan));
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.admin("clerk", 777, new UnfreezeCard(pan));
        assertThat(t.out.duplicate).isTrue();
        last(t, CommandType.UNFREEZE_CARD, clerk, Reason.APPROVED, TargetKind.CARD, Pan.mask(pan));
        assertThat(trail.flags(trail.size() - 1)).isEqualTo(AuditTrail.DUPLICATE);
        t.admin("clerk", 777, new FreezeCard(pan));
        last(t, CommandType.FREEZE_CARD, clerk, Reason.DUPLICATE_REQUEST_DIFFERENT, TargetKind.CARD, Pan.mask(pan));

        final long before = trail.written();
        t.purchase(TERMINAL, pan, 1_000);
        assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        t.purchase(TERMINAL, pan, 1_000_000);
        assertThat(t.out.reason).isNotEqualTo(Reason.APPROVED);
        assertThat(trail.written()).as("POS transactions, approved or declined, are not in the trail").isEqualTo(before);

        // A command whose bytes are not a command of its type: the header names the type, nothing else is known.
        CommandHeader.write(t.buffer, 0, CommandType.FREEZE_CARD.code, CommandType.ADMIN_VERSION);
        for (int i = CommandHeader.LENGTH; i < 40; i++) {
            t.buffer.putByte(i, (byte) 0x7F);
        }
        t.raw(40);
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        last(t, CommandType.FREEZE_CARD, AuditTrail.UNKNOWN_OPERATOR, Reason.INVALID_ARGUMENT, TargetKind.NONE, "");

        t.system(new Cutover(START_DATE + 1));
        last(t, CommandType.CUTOVER, AuditTrail.SYSTEM, Reason.APPROVED, TargetKind.DATE, "");
        assertThat(trail.targetKey(trail.size() - 1)).isEqualTo(START_DATE + 1);
        assertThat(trail.businessDate(trail.size() - 1)).as("decided on the day it closed").isEqualTo(START_DATE);
        t.system(new ExpireHolds());
        last(t, CommandType.EXPIRE_HOLDS, AuditTrail.SYSTEM, Reason.APPROVED, TargetKind.NONE, "");
        t.system(new RecordLoginFailure("clerk"));
        last(t, CommandType.RECORD_LOGIN_FAILURE, AuditTrail.SYSTEM, Reason.APPROVED, TargetKind.OPERATOR, "clerk");
        assertThat(trail.businessDate(trail.size() - 1)).isEqualTo(START_DATE + 1);
    }

    @Test
    void eachCommandNamesItsTarget() {
        final TestLedger t = TestLedger.standard().withAuditTrail(100);
        final String old = t.sell(NAMED_BIN, 1, 5_000);
        t.admin("clerk", new ReplaceCard(old, pan(NAMED_BIN, 2)));
        assertLastTarget(t, TargetKind.CARD, Pan.mask(old));
        t.admin("supervisor", new RequestAdjustment(AdjustmentTarget.MERCHANT, MERCHANT2, 10, CounterAccount.CUSTODY));
        assertLastTarget(t, TargetKind.MERCHANT, MERCHANT2);
        t.admin("supervisor2", new Approve(t.out.value1));
        assertLastTarget(t, TargetKind.PENDING, "");
        assertThat(t.state().audit().targetKey(t.state().audit().size() - 1)).isEqualTo(1);
        t.admin("administrator", new UpsertBinRange("88880003", 16, ANONYMOUS, 0, 99));
        assertLastTarget(t, TargetKind.BIN_RANGE, "88880003/16");
        t.admin("administrator", new GenerateCards("88880003", 16, 5));
        assertLastTarget(t, TargetKind.BIN_RANGE, "88880003/16");
        t.admin("administrator", new UpsertTerminal("30000001", MERCHANT2, "SN", dev.prepaid.merchant.TerminalStatus.ACTIVE,
                dev.prepaid.merchant.MacAlgorithm.CUP_ECB, "tmk.30000001", "", dev.prepaid.merchant.DeployerShareMethod.NONE, 0));
        assertLastTarget(t, TargetKind.TERMINAL, "30000001");
        t.admin("administrator", new PutPointsRule(9, "", 0, 0, 0, 1, 2));
        assertLastTarget(t, TargetKind.RULE, "");
        t.admin("administrator", new PutPointsRule(10, MERCHANT, 0, 0, 0, 1, 2));
        assertLastTarget(t, TargetKind.MERCHANT, MERCHANT);
        t.admin("finance", new PrepareSettlement());
        assertLastTarget(t, TargetKind.NONE, "");
        final String longId = "x".repeat(40);
        t.admin("administrator", new UpsertOperator(longId, "Long", Role.CLERK, "", OperatorStatus.ACTIVE, "$h"));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        assertLastTarget(t, TargetKind.OPERATOR, "x".repeat(AuditTrail.TEXT_BYTES));
        t.admin("administrator", new UpsertIssuer("ISS\u00e9", "Accented", "00010000"));
        assertLastTarget(t, TargetKind.ISSUER, "ISS?");
        t.admin("clerk", new FreezeCard("not a card"));
        assertLastTarget(t, TargetKind.CARD, Pan.mask("not a card"));
        assertThat(t.state().audit().targetKey(t.state().audit().size() - 1)).isEqualTo(-1);
        t.admin("supervisor", new ConfirmFlag(5, false));
        assertLastTarget(t, TargetKind.REVIEW_ENTRY, "");
        assertThat(t.state().audit().targetKey(t.state().audit().size() - 1)).isEqualTo(5);
    }

    @Test
    void theRingKeepsTheNewestEntriesAndAReopeningResizesItKeepingTheNewest() {
        final TestLedger t = TestLedger.standard().withAuditTrail(5);
        final AuditTrail trail = t.state().audit();
        final List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            t.admin("clerk", new FreezeCard(pan(ANON_BIN, 100 + i)));
            assertThat(t.out.reason).isEqualTo(Reason.ILLEGAL_TRANSITION);
            sequences.add(t.ledger.lastSequence());
        }
        assertThat(trail.written()).isEqualTo(11);
        assertThat(trail.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(trail.targetText(i)).isEqualTo(Pan.mask(pan(ANON_BIN, 105 + i)));
            assertThat(trail.sequence(i)).isEqualTo(sequences.get(5 + i));
        }
        assertThat(trail.countBefore(sequences.get(9))).isEqualTo(4);
        assertThat(trail.countBefore(sequences.get(5))).isZero();
        assertThat(trail.countBefore(Long.MAX_VALUE)).isEqualTo(5);

        t.system(new OpenAuditTrail(3));
        assertThat(trail.capacity()).isEqualTo(3);
        assertThat(trail.size()).isEqualTo(3);
        assertThat(trail.targetText(0)).isEqualTo(Pan.mask(pan(ANON_BIN, 108)));
        assertThat(trail.targetText(1)).isEqualTo(Pan.mask(pan(ANON_BIN, 109)));
        assertThat(trail.type(2)).isEqualTo(CommandType.OPEN_AUDIT_TRAIL.code);

        t.system(new OpenAuditTrail(8));
        t.admin("clerk", new FreezeCard(pan(ANON_BIN, 200)));
        assertThat(trail.size()).isEqualTo(5);
        assertThat(trail.targetText(0)).isEqualTo(Pan.mask(pan(ANON_BIN, 108)));
        assertThat(trail.targetText(4)).isEqualTo(Pan.mask(pan(ANON_BIN, 200)));

        t.admin("system", new OpenAuditTrail(0));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("system", new OpenAuditTrail(LedgerConfig.MAX_AUDIT_ENTRIES + 1));
        assertThat(t.out.reason).isEqualTo(Reason.INVALID_ARGUMENT);
        t.admin("administrator", new OpenAuditTrail(10));
        assertThat(t.out.reason).isEqualTo(Reason.SYSTEM_ONLY);
        assertThat(trail.capacity()).isEqualTo(8);
    }

    @Test
    void filtersFindEntriesByOperatorTargetCommandTimeDateResultAndScopeNewestFirstInPages() {
        final TestLedger t = TestLedger.standard().withAuditTrail(1_000);
        final String pan = t.sell(ANON_BIN, 7, 10_000);
        final long afterSale = t.clock;
        t.admin("clerk", new FreezeCard(pan));
        t.admin("clerk", new FreezeCard(pan));
        t.admin("supervisor", new SetMerchantReview(MERCHANT2, true));
        t.admin("clerk", new SetMerchantReview(MERCHANT, true));
        t.admin("administrator", new UpsertTerminal(TERMINAL2, MERCHANT2, "SN2", dev.prepaid.merchant.TerminalStatus.DISABLED,
                dev.prepaid.merchant.MacAlgorithm.CUP_ECB, "tmk." + TERMINAL2, "", dev.prepaid.merchant.DeployerShareMethod.NONE, 0));
        t.system(new Cutover(START_DATE + 1));
        t.admin("clerk", new UnfreezeCard(pan));
        final LedgerState s = t.state();

        assertThat(types(s, filter(null, pan, null, null))).containsExactly("UNFREEZE_CARD", "FREEZE_CARD", "FREEZE_CARD",
                "SET_PIN", "SELL_CARDS");
        assertThat(types(s, filter("clerk", pan, CommandType.FREEZE_CARD.code, false))).containsExactly("FREEZE_CARD");
        assertThat(reasons(s, filter("clerk", null, CommandType.FREEZE_CARD.code, null)))
                .containsExactly(Reason.ILLEGAL_TRANSITION.code, Reason.APPROVED.code);
        assertThat(types(s, filter(null, null, null, false))).containsExactly("SET_MERCHANT_REVIEW", "FREEZE_CARD");
        assertThat(types(s, filter("system", null, CommandType.CUTOVER.code, null))).hasSize(1);
        assertThat(types(s, filter("nobody", null, null, null))).isEmpty();
        assertThat(types(s, filter(null, MERCHANT2, null, null))).containsExactly("SET_MERCHANT_REVIEW");
        assertThat(types(s, filter(null, Long.toString(START_DATE + 1), null, null))).containsExactly("CUTOVER");
        assertThat(types(s, filter(null, pan.substring(0, 15) + "0", null, null))).as("another number").isEmpty();

        final AuditQuery.Filter since = new AuditQuery.Filter(null, null, null, afterSale + 1, Long.MAX_VALUE, 0, 0, null, "");
        assertThat(types(s, since)).hasSize(7);
        final AuditQuery.Filter until = new AuditQuery.Filter(null, pan, null, Long.MIN_VALUE, afterSale, 0, 0, null, "");
        assertThat(types(s, until)).containsExactly("SELL_CARDS");
        final AuditQuery.Filter nextDay = new AuditQuery.Filter(null, null, null, Long.MIN_VALUE, Long.MAX_VALUE,
                START_DATE + 1, START_DATE + 1, null, "");
        assertThat(types(s, nextDay)).containsExactly("UNFREEZE_CARD");
        final AuditQuery.Filter firstDay = new AuditQuery.Filter(null, null, CommandType.CUTOVER.code, Long.MIN_VALUE,
                Long.MAX_VALUE, 0, START_DATE, null, "");
        assertThat(types(s, firstDay)).hasSize(1);

        final AuditQuery.Filter scoped = new AuditQuery.Filter(null, null, null, Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, null,
                MERCHANT2);
        assertThat(types(s, scoped)).as("its merchant and its terminals only")
                .containsExactly("UPSERT_TERMINAL", "SET_MERCHANT_REVIEW");

        final AuditQuery.Page first = AuditQuery.page(s, AuditQuery.Filter.everything(), Long.MAX_VALUE, 3);
        assertThat(first.indices()).hasSize(3);
        assertThat(s.audit().sequence(first.indices()[0])).isEqualTo(t.ledger.lastSequence());
        assertThat(first.next()).isEqualTo(s.audit().sequence(first.indices()[2]));
        final AuditQuery.Page second = AuditQuery.page(s, AuditQuery.Filter.everything(), first.next(), 3);
        assertThat(s.audit().sequence(second.indices()[0])).isLessThan(first.next());
        final AuditQuery.Page all = AuditQuery.page(s, AuditQuery.Filter.everything(), Long.MAX_VALUE, 1_000);
        assertThat(all.indices()).hasSize(s.audit().size());
        assertThat(all.next()).isEqualTo(-1);
        final AuditQuery.Page exact = AuditQuery.page(s, filter(null, pan, CommandType.SELL_CARDS.code, null), Long.MAX_VALUE, 1);
        assertThat(exact.indices()).hasSize(1);
        assertThat(exact.next()).as("a full page with nothing after it is the last").isEqualTo(-1);
    }

    @Test
    void theTrailSurvivesASnapshotByteForByteAndTheRestoredLedgerGoesOnAlike() {
        final TestLedger t = TestLedger.standard().withAuditTrail(6);
        final String pan = t.sell(ANON_BIN, 9, 10_000);
        t.admin("clerk", new FreezeCard(pan));
        t.admin("clerk", new FreezeCard(pan));
        t.admin("mallory", new FreezeCard(pan));
        t.admin("clerk", new UnfreezeCard(pan));
        t.system(new Cutover(START_DATE + 1));
        assertThat(t.state().audit().written()).isGreaterThan(6);
        assertThat(stateVersion(t.ledger)).isEqualTo(3);

        final byte[] bytes = snapshot(t.ledger);
        final Ledger restored = Ledger.readSnapshot(new ByteArrayInputStream(bytes), LedgerConfig.small()).ledger();
        assertThat(snapshot(restored)).as("written again, the same bytes").isEqualTo(bytes);
        assertThat(restored.digestHex()).isEqualTo(t.ledger.digestHex());
        final AuditTrail copy = restored.state().audit();
        final AuditTrail original = t.state().audit();
        assertThat(copy.size()).isEqualTo(original.size());
        for (int i = 0; i < copy.size(); i++) {
            assertThat(copy.sequence(i)).isEqualTo(original.sequence(i));
            assertThat(copy.targetText(i)).isEqualTo(original.targetText(i));
            assertThat(copy.operator(i)).isEqualTo(original.operator(i));
            assertThat(copy.reason(i)).isEqualTo(original.reason(i));
        }

        t.mirror = restored;
        t.admin("clerk", new FreezeCard(pan));
        t.admin("auditor", new FreezeCard(pan));
        t.system(new OpenAuditTrail(4));
        assertThat(restored.digestHex()).isEqualTo(t.ledger.digestHex());
    }

    @Test
    void aStateThatNeverOpenedTheTrailHasNoEntriesAndTheFormatItHadBefore() {
        final TestLedger t = TestLedger.standard();
        final String pan = t.sell(ANON_BIN, 11, 10_000);
        t.admin("clerk", new FreezeCard(pan));
        t.admin("clerk", new FreezeCard(pan));
        t.admin("mallory", new FreezeCard(pan));
        t.system(new Cutover(START_DATE + 1));
        assertThat(t.state().audit().isOpen()).isFalse();
        assertThat(t.state().audit().written()).isZero();
        assertThat(stateVersion(t.ledger)).isEqualTo(1);
        final byte[] bytes = snapshot(t.ledger);
        assertThat(containsMark(bytes, 10)).isFalse();
        assertThat(containsMark(bytes, 11)).isFalse();
        assertThat(containsMark(bytes, 9)).isTrue();
        final Ledger restored = Ledger.readSnapshot(new ByteArrayInputStream(bytes), LedgerConfig.small()).ledger();
        assertThat(snapshot(restored)).isEqualTo(bytes);
        assertThat(restored.state().audit().isOpen()).isFalse();
    }

    // ------------------------------------------------------------------ helpers

    private static AuditQuery.Filter filter(final String operator, final String target, final Integer command,
            final Boolean approved) {
        return new AuditQuery.Filter(operator, target, command, Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, approved, "");
    }

    private static List<String> types(final LedgerState s, final AuditQuery.Filter f) {
        final List<String> types = new ArrayList<>();
        for (final int i : AuditQuery.page(s, f, Long.MAX_VALUE, 500).indices()) {
            types.add(CommandType.ofCode(s.audit().type(i)).name());
        }
        return types;
    }

    private static List<Integer> reasons(final LedgerState s, final AuditQuery.Filter f) {
        final List<Integer> reasons = new ArrayList<>();
        for (final int i : AuditQuery.page(s, f, Long.MAX_VALUE, 500).indices()) {
            reasons.add(s.audit().reason(i));
        }
        return reasons;
    }

    private static void last(final TestLedger t, final CommandType type, final int operator, final Reason reason,
            final TargetKind kind, final String text) {
        assertEntry(t, t.state().audit().size() - 1, type, operator, reason, kind, text);
    }

    private static void assertLastTarget(final TestLedger t, final TargetKind kind, final String text) {
        final AuditTrail trail = t.state().audit();
        assertThat(trail.targetKind(trail.size() - 1)).isEqualTo(kind);
        assertThat(trail.targetText(trail.size() - 1)).isEqualTo(text);
    }

    private static void assertEntry(final TestLedger t, final int i, final CommandType type, final int operator,
            final Reason reason, final TargetKind kind, final String text) {
        final AuditTrail trail = t.state().audit();
        assertThat(trail.type(i)).as("type of entry %d", i).isEqualTo(type.code);
        assertThat(trail.operator(i)).as("operator of entry %d", i).isEqualTo(operator);
        assertThat(trail.reason(i)).as("reason of entry %d", i).isEqualTo(reason.code);
        assertThat(trail.targetKind(i)).as("target kind of entry %d", i).isEqualTo(kind);
        assertThat(trail.targetText(i)).as("target of entry %d", i).isEqualTo(text);
    }

    static byte[] snapshot(final Ledger ledger) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ledger.writeSnapshot(out, ledger.lastSequence());
        return out.toByteArray();
    }

    /** The state's format version: after the snapshot's magic and journal index. */
    static int stateVersion(final Ledger ledger) {
        return ByteBuffer.wrap(snapshot(ledger)).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
    }

    private static boolean containsMark(final byte[] bytes, final int section) {
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (b.getInt(i) == SECTION_MARK + section) {
                return true;
            }
        }
        return false;
    }
}
