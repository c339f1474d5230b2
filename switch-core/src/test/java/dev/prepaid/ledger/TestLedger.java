package dev.prepaid.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.time.CivilDate;
import java.util.function.Consumer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A ledger with a standard business set up through ordinary commands, and helpers to send it POS requests
 * and operator commands. Checks every invariant after every command.
 */
final class TestLedger {
    static final String ISSUER = "ISS";
    static final int NAMED = 1;
    static final int ANONYMOUS = 2;
    static final String NAMED_BIN = "88880001";
    static final String ANON_BIN = "88880002";
    static final String MERCHANT = "898310048990001";
    static final String MERCHANT2 = "898310048990002";
    static final String TERMINAL = "10000001";
    static final String TERMINAL_B = "10000002";
    static final String TERMINAL2 = "20000001";
    static final long PIN = 0x5EC2E7L;
    static final long WRONG_PIN = 0xBADL;
    static final int START_DATE = 20261123;

    final Ledger ledger;
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    final PosRequest request = new PosRequest();
    final Outcome out = new Outcome();
    long clock = CivilDate.epochDay(START_DATE) * CivilDate.MILLIS_PER_DAY + 8 * 3_600_000L;
    long requestIds = 1;
    int stan = 1;
    boolean checkInvariants = true;
    /** When set, receives every command too (same bytes, same timestamp); its outcome must match. */
    Ledger mirror;
    private final Outcome mirrorOut = new Outcome();

    TestLedger(final LedgerConfig config) {
        this.ledger = new Ledger(config);
    }

    LedgerState state() {
        return ledger.state();
    }

    /** The standard set-up: one issuer, a named and an anonymous card type, two merchants, three terminals. */
    static TestLedger standard() {
        return standard(LedgerConfig.small());
    }

    /** The standard set-up with other capacities. */
    static TestLedger standard(final LedgerConfig config) {
        final TestLedger t = new TestLedger(config);
        t.system(new Cutover(START_DATE));
        t.system(new UpsertIssuer(ISSUER, "Test issuer", "00010000"));
        t.system(cardType(NAMED, true));
        t.system(cardType(ANONYMOUS, false));
        t.system(new UpsertBinRange(NAMED_BIN, 16, NAMED, 0, 9_999_999));
        t.system(new UpsertBinRange(ANON_BIN, 16, ANONYMOUS, 0, 9_999_999));
        t.system(merchant(MERCHANT, SettlementCycle.T_PLUS_1, 1, 0));
        t.system(merchant(MERCHANT2, SettlementCycle.T_PLUS_1, 1, 0));
        t.system(terminal(TERMINAL, MERCHANT));
        t.system(terminal(TERMINAL_B, MERCHANT));
        t.system(terminal(TERMINAL2, MERCHANT2));
        for (final Role role : new Role[] {Role.ADMINISTRATOR, Role.CLERK, Role.SUPERVISOR, Role.FINANCE, Role.AUDITOR}) {
            t.system(new UpsertOperator(role.name().toLowerCase(), role.name(), role, "", OperatorStatus.ACTIVE, "$argon2id$x"));
        }
        t.system(new UpsertOperator("supervisor2", "Second supervisor", Role.SUPERVISOR, "", OperatorStatus.ACTIVE, "$argon2id$y"));
        t.system(new UpsertOperator("finance2", "Second finance", Role.FINANCE, "", OperatorStatus.ACTIVE, "$argon2id$z"));
        t.system(new GenerateCards(NAMED_BIN, 16, 50));
        t.system(new GenerateCards(ANON_BIN, 16, 200));
        for (final String terminal : new String[] {TERMINAL, TERMINAL_B, TERMINAL2}) {
            t.pos(r -> r.kind(PosKind.SIGN_ON).terminalId(terminal).merchantId(merchantOf(terminal)));
            assertThat(t.out.reason).isEqualTo(Reason.APPROVED);
        }
        return t;
    }

    static String merchantOf(final String terminal) {
        return terminal.equals(TERMINAL2) ? MERCHANT2 : MERCHANT;
    }

    static UpsertCardType cardType(final int id, final boolean named) {
        final int all = PosKind.allPermissionControlled();
        return new UpsertCardType(id, named ? "Named card" : "Gift card", ISSUER, named, 0, 0, named ? 2_000 : 0,
                named ? 1_000 : 0, 500, 300, true, named ? 0 : 36, all,
                PosKind.mask(PosKind.PURCHASE, PosKind.BALANCE_INQUIRY, PosKind.PREAUTH), 3, 0, 0, 0, 0, 0, 1, true);
    }

    static UpsertMerchant merchant(final String id, final SettlementCycle cycle, final int days, final long threshold) {
        return new UpsertMerchant(id, "Shop " + id, "5411", MerchantStatus.ACTIVE, cycle, days, threshold,
                RefundFeePolicy.PROPORTIONAL, true, "6222000011112222", "Shop account", "ICBC", "102100000001");
    }

    static UpsertTerminal terminal(final String id, final String merchant) {
        return new UpsertTerminal(id, merchant, "SN" + id, TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "tmk." + id, "",
                DeployerShareMethod.NONE, 0);
    }

    /** PAN of the n-th card (0-based) of a BIN range of the standard set-up. */
    static String pan(final String bin, final long account) {
        final String body = bin + String.format("%07d", account);
        long value = Long.parseLong(body);
        return body + Pan.luhnCheckDigit(value, body.length());
    }

    // ------------------------------------------------------------------ commands

    Outcome admin(final String operator, final AdminCommand command) {
        return admin(operator, requestIds++, command);
    }

    Outcome admin(final String operator, final long requestId, final AdminCommand command) {
        final int length = RecordCodec.encode(new Envelope(operator, requestId, "test", "because"), command, buffer, 0);
        return apply(length);
    }

    /** A command from the switch itself; asserts it was approved. */
    Outcome system(final AdminCommand command) {
        admin("system", command);
        assertThat(out.reason).as(command + " -> " + out).isEqualTo(Reason.APPROVED);
        return out;
    }

    Outcome pos(final Consumer<PosRequest> fill) {
        request.wrapForEncode(buffer, 0);
        fill.accept(request);
        return apply(PosRequest.LENGTH);
    }

    /** Applies the first {@code length} bytes of {@link #buffer} as they are (a command the codec did not write). */
    Outcome raw(final int length) {
        return apply(length);
    }

    /** Starts the audit trail, as the switch does at start. */
    TestLedger withAuditTrail(final int capacity) {
        system(new OpenAuditTrail(capacity));
        return this;
    }

    private Outcome apply(final int length) {
        clock += 1_000;
        ledger.apply(buffer, 0, length, clock, out);
        if (mirror != null) {
            mirror.apply(buffer, 0, length, clock, mirrorOut);
            assertThat(mirrorOut.toString()).isEqualTo(out.toString());
        }
        if (checkInvariants) {
            Invariants.check(ledger.state());
        }
        return out;
    }

    /** Sells a card of the standard set-up with a face value; sets its PIN. Returns the PAN. */
    String sell(final String bin, final long account, final long faceValue) {
        final String pan = pan(bin, account);
        final boolean named = bin.equals(NAMED_BIN);
        admin("clerk", new SellCards(pan, 1, faceValue, PaymentMethod.CASH, SalesChannel.COUNTER, BuyerKind.PERSON, "", "",
                "", named ? "Zhang San" : "", named ? "ID" : "", named ? "110101199003070000" : "", ""));
        assertThat(out.reason).as("sell " + out).isEqualTo(Reason.APPROVED);
        admin("clerk", new SetPin(pan, PIN));
        assertThat(out.reason).isEqualTo(Reason.APPROVED);
        return pan;
    }

    int nextStan() {
        return stan++;
    }

    /** A request from a terminal in its open batch with a fresh STAN. */
    PosRequest on(final PosRequest r, final String terminal) {
        return r.terminalId(terminal).merchantId(merchantOf(terminal))
                .batch(ledger.state().terminal(terminal).currentBatch()).stan(nextStan());
    }

    Outcome purchase(final String terminal, final String pan, final long amount) {
        return pos(r -> on(r.kind(PosKind.PURCHASE), terminal).pan(pan).amount(amount).pinCheck(PIN).entryMode(21));
    }

    long available(final String pan) {
        final int card = ledger.state().resolveCard(pan);
        return ledger.state().cards().available(card);
    }

    long holds(final String pan) {
        final int card = ledger.state().resolveCard(pan);
        return ledger.state().cards().holds(card);
    }

    int card(final String pan) {
        return ledger.state().resolveCard(pan);
    }

    void feeRule(final long id, final String merchant, final FeeMethod method, final long ratePpm, final long fixed,
            final long min, final long cap) {
        system(new PutFeeRule(id, merchant, 0, PosKind.mask(PosKind.PURCHASE, PosKind.COMPLETION), 0, 0, 10, method,
                ratePpm, fixed, min, cap));
    }
}
