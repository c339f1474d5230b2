package dev.prepaid.ledger;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.txn.TransactionLog;
import org.agrona.DirectBuffer;

/**
 * Applies POS transactions (pos-iso8583 §4): checks what every request shares — terminal, merchant, business
 * day, sign-on, batch and STAN, a repeat of a recorded request — and hands it to its transaction family
 * ({@link TerminalBatches}, {@link Purchases}, {@link Recharges}, {@link Preauthorisations}, {@link Refunds},
 * {@link Reversals}). Every family first decides, changing nothing, and then applies; the only state a decline
 * changes is a card's wrong-PIN and decline counters and the record that lets a repeated request get the same
 * answer. Allocation-free.
 */
final class PosProcessor {
    private final LedgerState s;
    private final TransactionLog log;
    private final PosRequest req = new PosRequest();
    private final PosRecords records;
    private final TerminalBatches batches;
    private final Purchases purchases;
    private final Recharges recharges;
    private final Preauthorisations preauthorisations;
    private final Refunds refunds;
    private final Reversals reversals;

    PosProcessor(final LedgerState state) {
        this.s = state;
        this.log = state.transactions;
        final CardChecks checks = new CardChecks(state, req);
        final PosPostings postings = new PosPostings(state);
        this.records = new PosRecords(state, req);
        this.batches = new TerminalBatches(req);
        this.purchases = new Purchases(state, req, checks, records, postings);
        this.recharges = new Recharges(state, req, checks, records, postings);
        this.preauthorisations = new Preauthorisations(state, req, checks, records, postings);
        this.refunds = new Refunds(state, req, checks, records, postings);
        this.reversals = new Reversals(state, req, checks, records, postings);
    }

    void apply(final DirectBuffer buffer, final int offset, final long timestampMillis, final Outcome out) {
        req.wrap(buffer, offset);
        out.businessDate = s.businessDate;
        final PosKind kind = req.kind();
        if (kind == null) {
            out.reason = Reason.UNSUPPORTED_TRANSACTION;
            return;
        }
        final Terminal terminal = s.terminalByPackedId(req.terminalId());
        if (terminal == null) {
            out.reason = Reason.TERMINAL_NOT_REGISTERED;
            return;
        }
        if (!terminal.active()) {
            out.reason = Reason.TERMINAL_DISABLED;
            return;
        }
        final Merchant merchant = terminal.merchant();
        if (!merchant.idMatches(req.merchantIdHigh(), req.merchantIdLow())) {
            out.reason = Reason.MERCHANT_ID_MISMATCH;
            return;
        }
        if (s.businessDay == 0) {
            out.reason = Reason.BUSINESS_DAY_NOT_OPEN;
            return;
        }
        switch (kind) {
            case SIGN_ON:
                batches.signOn(terminal, merchant, out);
                return;
            case SIGN_OFF:
                batches.signOff(terminal, out);
                return;
            default:
                break;
        }
        if (!terminal.signedOn()) {
            out.reason = Reason.TERMINAL_NOT_SIGNED_ON;
            return;
        }
        switch (kind) {
            case BATCH_SETTLEMENT:
                batches.settle(terminal, out);
                return;
            case BATCH_UPLOAD:
            case BATCH_UPLOAD_END:
                batches.upload(terminal, kind, out);
                return;
            case REVERSAL:
                reversals.reverse(terminal, merchant, out);
                return;
            default:
                break;
        }
        if (!merchant.active()) {
            out.reason = Reason.MERCHANT_NOT_ACTIVE;
            return;
        }
        if (!validNumber(req.batch()) || !validNumber(req.stan())) {
            out.reason = Reason.INVALID_BATCH_OR_STAN;
            return;
        }
        if (req.batch() != terminal.currentBatch()) {
            out.reason = Reason.BATCH_NUMBER_MISMATCH;
            out.batch = terminal.currentBatch();
            return;
        }
        final long key = TransactionLog.key(terminal.index(), req.batch(), req.stan());
        final int seen = log.slotOfKey(key);
        if (seen >= 0) {
            repeat(seen, kind, out);
            return;
        }
        switch (kind) {
            case PURCHASE:
                purchases.purchase(key, terminal, merchant, out);
                break;
            case BALANCE_INQUIRY:
                purchases.balanceInquiry(key, terminal, merchant, out);
                break;
            case RECHARGE:
                recharges.recharge(key, terminal, merchant, out);
                break;
            case PREAUTH:
                preauthorisations.preauthorise(key, terminal, merchant, timestampMillis, out);
                break;
            case REFUND:
                refunds.refund(key, terminal, merchant, out);
                break;
            case PURCHASE_VOID:
            case RECHARGE_VOID:
            case COMPLETION_VOID:
                reversals.voidTransaction(key, kind, terminal, merchant, out);
                break;
            case PREAUTH_CANCEL:
                preauthorisations.cancel(key, terminal, merchant, out);
                break;
            case COMPLETION:
                preauthorisations.complete(key, terminal, merchant, out);
                break;
            default:
                out.reason = Reason.UNSUPPORTED_TRANSACTION;
                break;
        }
    }

    /** A batch number or STAN: six digits. */
    static boolean validNumber(final int n) {
        return n >= 0 && n <= 999_999;
    }

    /** Releases an expired hold (called by the hold-expiry timer command). */
    void expireHold(final int hold) {
        preauthorisations.expire(hold);
    }

    /** A request whose terminal, batch and STAN are recorded: the first answer, if it is the same request. */
    private void repeat(final int slot, final PosKind kind, final Outcome out) {
        if (log.is(slot, TransactionLog.TOMBSTONE)) {
            out.reason = Reason.ORIGINAL_REVERSED_BEFORE_ARRIVAL;
            return;
        }
        if (log.kind(slot) != kind || log.amount(slot) != records.requestAmount(kind)
                || log.panKey(slot) != records.requestPanKey()) {
            out.reason = Reason.DUPLICATE_WITH_DIFFERENT_CONTENT;
            return;
        }
        records.replay(slot, out);
        out.duplicate = true;
    }
}
