package dev.prepaid.clearing.daily;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.AdjustmentTarget;
import dev.prepaid.command.AdminCommand.CancelIssuance;
import dev.prepaid.command.AdminCommand.RequestAdjustment;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.card.CardStore;
import dev.prepaid.journal.JournalConfig;
import dev.prepaid.journal.Replay;
import dev.prepaid.ledger.Account;
import dev.prepaid.ledger.GeneralLedger;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.ledger.PendingRequest;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.time.CivilDate;
import dev.prepaid.txn.TransactionLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;

/**
 * Clears one business day: replays the journal from the day's opening cut-over to its closing one through a fresh
 * ledger ({@link Replay}, starting from the newest snapshot before the day) and reads what each command did from the
 * ledger's own answer and records — the outcome, and the transaction log's record of a POS transaction (amount, card
 * part, discount, fee, deployer share, points, merchant, terminal). Nothing here decides a rule again: a fee is the fee
 * the ledger charged, a void undoes exactly what the ledger recorded for its original.
 *
 * <p>Alongside, it notes what the ledger's books said ({@link BookFacts}) for {@link Reconciliation}.
 */
public final class DayClearing {
    private DayClearing() {
    }

    /** The figures of the day and what the books said about it. */
    public record Result(DayFigures figures, BookFacts books, long replayed, long millis) {
    }

    /** Clears the day; the journal must hold it from its opening cut-over to its closing one. */
    public static Result run(final JournalConfig journal, final LedgerConfig ledgerConfig, final DayBounds day) {
        final long started = System.nanoTime();
        final Collector collector = new Collector(day);
        final Replay.Result replayed;
        try {
            replayed = Replay.run(journal, ledgerConfig, day.openSequence(), day.closeSequence(), true, collector);
        } catch (final ClearingException e) {
            throw e;
        } catch (final RuntimeException e) {
            throw new ClearingException(day.iso() + ": the journal could not be replayed: " + e.getMessage(), e);
        }
        if (replayed.lastSequence() < day.closeSequence() || !collector.closed) {
            throw new ClearingException(day.iso() + ": the journal ends at sequence " + replayed.lastSequence()
                    + ", before the day's closing cut-over at " + day.closeSequence());
        }
        if (!collector.opened) {
            throw new ClearingException(day.iso() + ": the replay did not start at the day's opening cut-over "
                    + day.openSequence() + " (the journal before it is no longer kept?)");
        }
        return new Result(collector.figures(), collector.books, replayed.replayed(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private static final class Collector implements Replay.Listener {
        private final DayBounds day;
        private final int epochDay;
        private final PosRequest req = new PosRequest();
        private Ledger ledger;
        private LedgerState s;
        private TransactionLog log;
        private CardStore cards;
        private Row[] merchantRows;
        private Row[] terminalRows;
        private Row[] deployerOfTerminal;
        private final Map<String, Row> deployers = new HashMap<>();
        private CardRow[] cardRows;
        private long commands;
        private long unattributed;
        private boolean opened;
        private boolean closed;
        private long openDebits;
        private long openCredits;
        // what a batch settlement is about to compare, read just before it is applied
        private int settlingTerminal = -1;
        private long ledgerDebitAmount;
        private int ledgerDebitCount;
        private long ledgerCreditAmount;
        private int ledgerCreditCount;
        private final List<BookFacts.BatchMismatch> mismatches = new ArrayList<>();
        // the merchants as the closing cut-over found them
        private long[] owedBefore;
        private long[] feeBefore;
        private long[] shareBefore;
        private BookFacts books;

        Collector(final DayBounds day) {
            this.day = day;
            this.epochDay = CivilDate.epochDay(day.date());
        }

        @Override
        public void beforeCommand(final long sequence, final DirectBuffer command, final int offset, final int length,
                final Ledger ledger) {
            if (this.ledger == null) {
                this.ledger = ledger;
                this.s = ledger.state();
                this.log = s.transactions();
                this.cards = s.cards();
                this.merchantRows = new Row[s.config().maxMerchants()];
                this.terminalRows = new Row[s.config().maxTerminals()];
                this.deployerOfTerminal = new Row[s.config().maxTerminals()];
                this.cardRows = new CardRow[s.config().maxCardTypes() + 1];
            }
            settlingTerminal = -1;
            final int type = CommandHeader.type(command, offset);
            if (type == PosRequest.TYPE) {
                if (length == PosRequest.LENGTH && (command.getByte(offset + 4) & 0xFF) == PosKind.BATCH_SETTLEMENT.code) {
                    req.wrap(command, offset);
                    final Terminal terminal = s.terminalByPackedId(req.terminalId());
                    if (terminal != null && req.batch() == terminal.currentBatch()) {
                        settlingTerminal = terminal.index();
                        ledgerDebitAmount = terminal.debitAmount();
                        ledgerDebitCount = terminal.debitCount();
                        ledgerCreditAmount = terminal.creditAmount();
                        ledgerCreditCount = terminal.creditCount();
                    }
                }
            } else if (sequence == day.closeSequence()) {
                final int n = s.merchantCount();
                owedBefore = new long[n];
                feeBefore = new long[n];
                shareBefore = new long[n];
                for (int m = 0; m < n; m++) {
                    final Merchant merchant = s.merchant(m);
                    owedBefore[m] = merchant.payable() - merchant.receivable();
                    feeBefore[m] = merchant.feeAccrued();
                    shareBefore[m] = merchant.shareAccrued();
                }
            }
        }

        @Override
        public void onCommand(final long sequence, final long timestampMillis, final DirectBuffer command, final int offset,
                final int length, final Outcome outcome) {
            final int type = length >= CommandHeader.LENGTH ? CommandHeader.type(command, offset) : -1;
            if (sequence == day.openSequence()) {
                if (type != CommandType.CUTOVER.code || !outcome.approved() || outcome.businessDate != day.date()) {
                    throw new ClearingException(day.iso() + ": the command at sequence " + sequence + " did not open "
                            + day.iso() + " (" + outcome + ")");
                }
                opened = true;
                openDebits = s.books().totalDebits();
                openCredits = s.books().totalCredits();
                return;
            }
            if (sequence == day.closeSequence()) {
                if (type != CommandType.CUTOVER.code || !outcome.approved()) {
                    throw new ClearingException(day.iso() + ": the command at sequence " + sequence + " is not a cut-over"
                            + " that closed the day (" + outcome + ")");
                }
                close(outcome);
                return;
            }
            commands++;
            if (type == PosRequest.TYPE) {
                if (length == PosRequest.LENGTH) {
                    pos(command, offset, outcome);
                }
            } else if (outcome.approved() && !outcome.duplicate) {
                admin(type, command, offset, length, outcome);
            }
        }

        // ------------------------------------------------------------------ POS

        private void pos(final DirectBuffer command, final int offset, final Outcome outcome) {
            if (outcome.duplicate) {
                return; // a repeat got the first answer and changed nothing
            }
            req.wrap(command, offset);
            final PosKind kind = req.kind();
            if (!outcome.approved()) {
                final Terminal terminal = s.terminalByPackedId(req.terminalId());
                if (terminal == null) {
                    unattributed++;
                    return;
                }
                final int code = outcome.reason.code;
                terminalRow(terminal.index()).decline(code, 1);
                merchantRow(terminal.merchant().index()).decline(code, 1);
                final Row deployer = deployerRow(terminal.index());
                if (deployer != null) {
                    deployer.decline(code, 1);
                }
                return;
            }
            if (kind == null) {
                return;
            }
            switch (kind) {
                case BATCH_SETTLEMENT:
                    settled(outcome);
                    return;
                case SIGN_ON:
                case SIGN_OFF:
                case BATCH_UPLOAD:
                case BATCH_UPLOAD_END:
                    return;
                default:
                    break;
            }
            final int slot = log.slotOfRrn(outcome.rrn);
            if (slot < 0) {
                throw new ClearingException(day.iso() + ": the ledger approved a " + kind + " with RRN " + outcome.rrn
                        + " but keeps no record of it");
            }
            final int t = log.terminal(slot);
            switch (kind) {
                case PURCHASE_VOID:
                case RECHARGE_VOID:
                case COMPLETION_VOID:
                    count(t, Measure.VOIDS, 1);
                    count(t, Measure.VOID_AMOUNT, log.amount(slot));
                    effect(voided(kind), slot, -1, false);
                    return;
                case REVERSAL:
                    count(t, Measure.REVERSALS, 1);
                    // a reversal ahead of its original leaves a tombstone; one of a declined original undoes nothing
                    if (!log.is(slot, TransactionLog.TOMBSTONE) && log.is(slot, TransactionLog.APPROVED)) {
                        final PosKind original = log.kind(slot);
                        if (original == PosKind.PURCHASE_VOID || original == PosKind.RECHARGE_VOID
                                || original == PosKind.COMPLETION_VOID) {
                            count(t, Measure.REVERSAL_AMOUNT, log.amount(slot));
                            effect(voided(original), slot, +1, false); // the voided transaction stands again
                        } else if (original != PosKind.BALANCE_INQUIRY) {
                            count(t, Measure.REVERSAL_AMOUNT, log.amount(slot));
                            effect(original, slot, -1, false);
                        }
                    }
                    return;
                default:
                    effect(kind, slot, +1, true);
            }
        }

        private static PosKind voided(final PosKind voidKind) {
            switch (voidKind) {
                case PURCHASE_VOID:
                    return PosKind.PURCHASE;
                case RECHARGE_VOID:
                    return PosKind.RECHARGE;
                default:
                    return PosKind.COMPLETION;
            }
        }

        /**
         * What a recorded transaction did to the figures, {@code sign} +1 when it takes effect (an approval, a void
         * reversed), -1 when it is undone. An approval is counted ({@code approval}) only when it is approved: a void
         * reversed makes its original stand again without approving it a second time, and the undoing and the redoing
         * are counted by the void and the reversal.
         */
        private void effect(final PosKind kind, final int slot, final int sign, final boolean approval) {
            final int t = log.terminal(slot);
            final long amount = log.amount(slot);
            switch (kind) {
                case PURCHASE:
                case COMPLETION: {
                    if (approval) {
                        count(t, kind == PosKind.PURCHASE ? Measure.PURCHASES : Measure.COMPLETIONS, 1);
                        count(t, kind == PosKind.PURCHASE ? Measure.PURCHASE_AMOUNT : Measure.COMPLETION_AMOUNT, amount);
                    }
                    money(t, sign, log.fee(slot), log.share(slot), log.discount(slot), log.points(slot), amount - log.fee(slot));
                    break;
                }
                case REFUND: {
                    if (approval) {
                        count(t, Measure.REFUNDS, 1);
                        count(t, Measure.REFUND_AMOUNT, amount);
                    }
                    // the record keeps the fee, share and points returned as negatives, the discount returned positive
                    money(t, sign, log.fee(slot), log.share(slot), -log.discount(slot), log.points(slot), -amount - log.fee(slot));
                    break;
                }
                case RECHARGE: {
                    if (approval) {
                        count(t, Measure.RECHARGES, 1);
                        count(t, Measure.RECHARGE_AMOUNT, amount);
                    }
                    count(t, Measure.RECHARGE_COMMISSION, sign * log.fee(slot));
                    // What the recharge did to the merchant's payable (the ledger's books): the cash it took and owes, less
                    // its commission for taking it (kept in the record's fee); nothing when its recharges are settled
                    // apart (marked on the recharge's record), whose cash is a receivable of its own, collected beside the
                    // payout.
                    if (!log.is(slot, dev.prepaid.txn.TransactionLog.CASH_APART)) {
                        count(t, Measure.NET, -sign * (amount - log.fee(slot)));
                    }
                    final int card = log.card(slot);
                    if (card >= 0) {
                        final CardRow row = cardRow(cards.cardType(card));
                        if (approval) {
                            row.add(CardMeasure.POS_RECHARGES, 1);
                        }
                        row.add(CardMeasure.POS_RECHARGE_AMOUNT, sign * amount);
                    }
                    break;
                }
                case PREAUTH:
                    if (approval) {
                        count(t, Measure.PREAUTHS, 1);
                        count(t, Measure.PREAUTH_AMOUNT, amount);
                    }
                    break;
                case PREAUTH_CANCEL:
                    if (approval) {
                        count(t, Measure.PREAUTH_CANCELS, 1);
                    }
                    break;
                case BALANCE_INQUIRY:
                    if (approval) {
                        count(t, Measure.BALANCE_INQUIRIES, 1);
                    }
                    break;
                default:
                    break;
            }
        }

        private void money(final int t, final int sign, final long fee, final long share, final long discount,
                final long points, final long net) {
            count(t, Measure.FEES, sign * fee);
            count(t, Measure.DEPLOYER_SHARE, sign * share);
            count(t, Measure.DISCOUNTS, sign * discount);
            count(t, Measure.POINTS, sign * points);
            count(t, Measure.NET, sign * net);
        }

        /** Adds to the terminal's row, its merchant's and its deployer's (looked up once per terminal in a row). */
        private void count(final int t, final Measure m, final long value) {
            if (value == 0) {
                return;
            }
            if (t != rowsOf) {
                rowsOf = t;
                terminalOfRows = terminalRow(t);
                merchantOfRows = merchantRow(s.terminal(t).merchant().index());
                deployerOfRows = deployerRow(t);
            }
            terminalOfRows.add(m, value);
            merchantOfRows.add(m, value);
            if (deployerOfRows != null) {
                deployerOfRows.add(m, value);
            }
        }

        // the rows count() adds to, for the terminal it was last called for: its merchant's as the ledger has it now (a
        // terminal moved to another merchant during the day counts at its new one from then on, as the ledger accrues;
        // its own row keeps the merchant it had at its first transaction of the day)
        private int rowsOf = -1;
        private Row terminalOfRows;
        private Row merchantOfRows;
        private Row deployerOfRows;

        private void settled(final Outcome outcome) {
            if (settlingTerminal < 0) {
                return;
            }
            count(settlingTerminal, Measure.BATCHES_SETTLED, 1);
            if (outcome.settlementFlag != 1) {
                mismatches.add(new BookFacts.BatchMismatch(s.terminal(settlingTerminal).profile().terminalId(), outcome.batch,
                        req.settleDebitAmount(), req.settleDebitCount(), req.settleCreditAmount(), req.settleCreditCount(),
                        ledgerDebitAmount, ledgerDebitCount, ledgerCreditAmount, ledgerCreditCount));
            }
        }

        // ------------------------------------------------------------------ operators

        private void admin(final int type, final DirectBuffer command, final int offset, final int length,
                final Outcome outcome) {
            final CommandType commandType = CommandType.ofCode(type);
            if (commandType == null) {
                return;
            }
            switch (commandType) {
                case SELL_CARDS: {
                    final int first = s.resolveCard(outcome.value1);
                    final CardRow row = cardRow(cards.cardType(first));
                    row.add(CardMeasure.CARDS_SOLD, outcome.value2);
                    row.add(CardMeasure.FACE_VALUE, outcome.cardAmount);
                    row.add(CardMeasure.DEPOSITS, Math.multiplyExact(cards.deposit(first), outcome.value2));
                    break;
                }
                case RECHARGE_CARDS: {
                    final CardRow row = cardRow(cards.cardType(s.resolveCard(outcome.value1)));
                    row.add(CardMeasure.COUNTER_RECHARGES, outcome.value2);
                    row.add(CardMeasure.COUNTER_RECHARGE_AMOUNT, outcome.cardAmount);
                    break;
                }
                case CANCEL_ISSUANCE: {
                    final AdminCommand c = RecordCodec.decodeCommand(command, offset, length);
                    final int card = s.resolveCard(((CancelIssuance) c).pan());
                    if (card >= 0) {
                        final CardRow row = cardRow(cards.cardType(card));
                        row.add(CardMeasure.ISSUANCES_CANCELLED, 1);
                        row.add(CardMeasure.CANCELLED_VALUE, outcome.cardAmount);
                    }
                    break;
                }
                case APPROVE: {
                    final PendingRequest pending = s.pending().get(outcome.value1);
                    if (pending != null && pending.request() instanceof RequestAdjustment adjustment
                            && adjustment.target() == AdjustmentTarget.MERCHANT) {
                        final Merchant merchant = s.merchant(adjustment.targetId());
                        final Row row = merchantRow(merchant.index());
                        row.add(Measure.ADJUSTMENTS, adjustment.amount());
                        row.add(Measure.NET, adjustment.amount());
                    }
                    break;
                }
                default:
                    break;
            }
        }

        // ------------------------------------------------------------------ the close

        private void close(final Outcome outcome) {
            closed = true;
            final int n = owedBefore.length;
            final List<BookFacts.MerchantBooks> merchantBooks = new ArrayList<>(s.merchantCount());
            for (int m = 0; m < s.merchantCount(); m++) {
                final Merchant merchant = s.merchant(m);
                final long fee = m < n ? feeBefore[m] : 0;
                if (m < n) {
                    // The cut-over took the accrued fees and, at a month's start, the periodic fee: the rest of what it
                    // took from the merchant is the periodic fee.
                    final long taken = owedBefore[m] - (merchant.payable() - merchant.receivable());
                    final long periodic = taken - fee;
                    if (periodic != 0) {
                        final Row row = merchantRow(m);
                        row.add(Measure.PERIODIC_FEES, periodic);
                        row.add(Measure.NET, -periodic);
                    }
                }
                merchantBooks.add(new BookFacts.MerchantBooks(merchant.profile().merchantId(), fee, m < n ? shareBefore[m] : 0,
                        merchant.activityOn(epochDay)));
            }
            final GeneralLedger g = s.books();
            long available = 0;
            long held = 0;
            long deposited = 0;
            for (int c = 0; c < cards.count(); c++) {
                available += cards.available(c);
                held += cards.holds(c);
                deposited += cards.deposit(c);
            }
            books = new BookFacts(g.totalDebits() - openDebits, g.totalCredits() - openCredits, g.balance(Account.CARD_VALUE),
                    available, g.balance(Account.CARD_HOLDS), held, g.balance(Account.CARD_DEPOSITS), deposited,
                    g.balance(Account.CUSTODY), g.balance(Account.MERCHANT_PAYABLE), g.balance(Account.MERCHANT_RECEIVABLE),
                    -g.balance(Account.CLEARING_IN_TRANSIT), Invariants.firstViolation(s), outcome.value1, merchantBooks,
                    mismatches);
        }

        DayFigures figures() {
            final List<Row> merchants = new ArrayList<>();
            for (final Row row : merchantRows) {
                if (row != null) {
                    merchants.add(row);
                }
            }
            final List<Row> terminals = new ArrayList<>();
            for (final Row row : terminalRows) {
                if (row != null) {
                    terminals.add(row);
                }
            }
            final List<CardRow> types = new ArrayList<>();
            for (final CardRow row : cardRows) {
                if (row != null && !row.isEmpty()) {
                    types.add(row);
                }
            }
            return new DayFigures(day, books.feesPosted(), commands, unattributed, DayFigures.sorted(merchants),
                    DayFigures.sorted(terminals), DayFigures.sorted(new ArrayList<>(deployers.values())), types);
        }

        // ------------------------------------------------------------------ rows

        private Row merchantRow(final int m) {
            Row row = merchantRows[m];
            if (row == null) {
                row = new Row(s.merchant(m).profile().merchantId(), "", "");
                merchantRows[m] = row;
            }
            return row;
        }

        private Row terminalRow(final int t) {
            Row row = terminalRows[t];
            if (row == null) {
                final Terminal terminal = s.terminal(t);
                row = new Row(terminal.profile().terminalId(), terminal.merchant().profile().merchantId(),
                        deployerCode(terminal));
                terminalRows[t] = row;
            }
            return row;
        }

        private static String deployerCode(final Terminal terminal) {
            final String code = terminal.profile().deployerCode();
            return code == null ? "" : code;
        }

        /** The terminal's deployer's row, null when the terminal has none. */
        private Row deployerRow(final int t) {
            final Row cached = deployerOfTerminal[t];
            if (cached != null) {
                return cached;
            }
            final String code = deployerCode(s.terminal(t));
            if (code.isEmpty()) {
                return null;
            }
            final Row row = deployers.computeIfAbsent(code, c -> new Row(c, "", ""));
            deployerOfTerminal[t] = row;
            return row;
        }

        private CardRow cardRow(final int cardType) {
            CardRow row = cardRows[cardType];
            if (row == null) {
                row = new CardRow(cardType);
                cardRows[cardType] = row;
            }
            return row;
        }
    }
}
