package dev.prepaid.server.crash;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.pos.BatchEntry;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PendingReversal;
import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacFunction;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One demo terminal of the crash test and what the test knows about its cards. Each terminal has cards of its
 * own (no other terminal touches them), and a terminal has at most one request in flight, whose reversal it owes
 * until the switch answers it {@code 00} before anything else is sent: so each card has at most one transaction
 * whose outcome is unknown ({@link #inFlight}), and its balance on the switch must be either {@link Account#confirmed}
 * or that plus the unknown transaction's effect.
 *
 * <p>Lifecycle per switch process: {@link #connect} (a fresh {@link PosTerminal} carrying over the STAN, batch,
 * batch entries and the owed reversal of the last one), then {@link #open} (first start) or {@link #recover}
 * (after a SIGKILL), then {@link #run} on the terminal's own thread until the switch is killed, then
 * {@link #endRound}. Every behaviour that contradicts the spec is written to {@link #violations()}.
 */
final class CrashTerminal {
    /** The anonymous gift card's cap (balanceCapAnonymous, 1,000.00). */
    static final long GIFT_CARD_CAP = 100_000;
    /** Settle the batch when it holds this many entries (the terminal refuses to go past 999)... */
    private static final int SETTLE_AT = 400;
    /** ... or after this many requests (a terminal whose cards ran dry sends balance inquiries only). */
    private static final int SETTLE_EVERY = 2_000;

    /** A card of this terminal: its balance as the acknowledged answers make it. */
    static final class Account {
        final Card card;
        final long opening;
        long confirmed;
        int approved;

        Account(final Card card, final long opening) {
            this.card = card;
            this.opening = opening;
            this.confirmed = opening;
        }

        @Override
        public String toString() {
            return card.maskedPan() + " (" + card.pan() + ")";
        }
    }

    /** A request sent and not answered: it may or may not have been applied; its reversal is owed. */
    record InFlight(PosOperation operation, Account account, long amount, int batch, int stan) {
        long delta() {
            return operation == PosOperation.RECHARGE ? amount : -amount;
        }
    }

    /** An answer 00 the terminal received for a purchase or recharge. */
    record Approved(PosOperation operation, Account account, long amount, int batch, int stan, String rrn,
            String authCode, long available, byte[] request) {
    }

    private final String terminalId;
    private final String merchantId;
    private final DesKey tmk;
    private final MacFunction macAlgorithm;
    private final boolean recharges;
    private final long maxAmount;
    private final List<Account> accounts;
    private final Random random;
    private final Dialect dialect;
    private final List<String> violations = new ArrayList<>();
    private final List<Approved> approved = new ArrayList<>();
    /** {@code approved.size()} as the test thread may read it while this terminal runs. */
    private volatile int approvals;
    /**
     * How far back (in RRNs, which count every recorded POS request of the switch) a resent request is still
     * recognised as a duplicate: the transaction log is a ring of {@code transactionLogCapacity} records and
     * forgets the oldest when full (ledger-rules §1), so only requests well inside it are resent.
     */
    private final long duplicateWindow;

    // carried from one switch process to the next
    private int lastStan;
    private int batch = 1;
    private List<BatchEntry> entries = List.of();
    private PendingReversal pending;
    private InFlight inFlight;
    /** A settlement went out and its answer never came: the switch may or may not have closed the batch. */
    private boolean settlementUnanswered;

    private PosTerminal pos;
    private int port;

    // statistics
    private int sent;
    private int lost;
    private int sinceSettlement;
    private long latestRrn;
    private int reversals;
    private int settlements;
    private int inFlightApplied;
    private int inFlightNotApplied;
    private int duplicatesChecked;
    private final TreeMap<String, Integer> declines = new TreeMap<>();

    CrashTerminal(final Dialect dialect, final String terminalId, final String merchantId, final String tmkHex,
            final MacFunction macAlgorithm, final boolean recharges, final long maxAmount, final List<Account> accounts,
            final long transactionLogCapacity, final long seed) {
        this.duplicateWindow = transactionLogCapacity / 2;
        this.dialect = dialect;
        this.terminalId = terminalId;
        this.merchantId = merchantId;
        this.tmk = DesKey.fromHex(tmkHex);
        this.macAlgorithm = macAlgorithm;
        this.recharges = recharges;
        this.maxAmount = maxAmount;
        this.accounts = accounts;
        this.random = new Random(seed);
    }

    String terminalId() {
        return terminalId;
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    List<Approved> approved() {
        return approved;
    }

    /** Approvals so far; safe to read from another thread while the terminal runs. */
    int approvals() {
        return approvals;
    }

    int inFlightApplied() {
        return inFlightApplied;
    }

    int inFlightNotApplied() {
        return inFlightNotApplied;
    }

    int duplicatesChecked() {
        return duplicatesChecked;
    }

    private void violation(final String what) {
        synchronized (violations) {
            violations.add(terminalId + ": " + what);
        }
    }

    // ------------------------------------------------------------------ per switch process

    /** A fresh terminal object (the old one's connection went with the killed switch) with the kept state. */
    void connect(final Dialect d, final int switchPort) {
        port = switchPort;
        pos = PosTerminal.builder(d).terminalId(terminalId).merchantId(merchantId).tmk(tmk).macAlgorithm(macAlgorithm)
                .switchAddress("127.0.0.1", switchPort).readTimeout(Duration.ofSeconds(20)).build();
        // The owed reversal is kept aside: the balance inquiries of recover() must see the state before it.
        pos.restore(lastStan, batch, entries, null);
    }

    /** First start: sign on; every card has its opening balance. */
    void open() {
        final PosResult signOn = pos.signOn();
        if (!signOn.approved()) {
            violation("sign-on on the first start: " + signOn);
            return;
        }
        for (final Account account : accounts) {
            final PosResult balance = pos.balance(account.card);
            if (!balance.approved() || balance.availableBalance() != account.opening) {
                violation("opening balance of " + account + ": expected " + account.opening + ", got " + balance);
            }
        }
    }

    /**
     * After a restart on the same journal: (a) every acknowledged transaction is still in effect, and the one in
     * flight (if any) is either applied or not; (c) its owed reversal is accepted and restores the balance, and
     * the original arriving late changes nothing; (b) a resent acknowledged request gets its first answer again
     * and changes nothing, and its raw frame (MAC'd with the dead process's session key) is refused.
     */
    void recover() {
        final PosResult signOn = pos.signOn();
        if (!signOn.approved()) {
            violation("sign-on after the restart: " + signOn);
            return;
        }
        // The sign-on answer carries the switch's open batch: an acknowledged settlement closed the terminal's
        // previous one for good; only an unanswered settlement leaves it open to doubt.
        final int next = batch >= PosTerminal.MAX_BATCH ? 1 : batch + 1;
        if (pos.batch() != batch && !(settlementUnanswered && pos.batch() == next)) {
            violation("after the restart the switch's open batch is " + signOn.batch() + ", the terminal's is " + batch
                    + (settlementUnanswered ? " (or " + next + " after the unanswered settlement)" : " (every"
                    + " settlement was answered)"));
            return;
        }
        settlementUnanswered = false;
        // (a)
        boolean applied = false;
        for (final Account account : accounts) {
            final Long balance = balance(account, "after the restart");
            if (balance == null) {
                return;
            }
            if (inFlight != null && inFlight.account == account) {
                if (balance == account.confirmed) {
                    inFlightNotApplied++;
                } else if (balance == account.confirmed + inFlight.delta()) {
                    inFlightApplied++;
                    applied = true;
                } else {
                    violation("after the restart " + account + " has " + balance + "; the acknowledged answers give "
                            + account.confirmed + ", or " + (account.confirmed + inFlight.delta()) + " with the "
                            + "unanswered " + inFlight + "; " + lastApprovedOf(account));
                    return;
                }
            } else if (balance != account.confirmed) {
                violation("after the restart " + account + " has " + balance + ", but the acknowledged answers give "
                        + account.confirmed + " (difference " + (balance - account.confirmed) + "; no transaction of"
                        + " this card was unanswered); " + lastApprovedOf(account));
                return;
            }
        }
        // (c)
        if (pending != null) {
            if (inFlight == null || inFlight.stan != pending.stan()) {
                violation("test bug: reversal owed for STAN " + pending.stan() + " but in flight: " + inFlight);
                return;
            }
            if (pos.batch() != inFlight.batch) {
                violation("the switch's batch " + pos.batch() + " is not that of the unanswered " + inFlight);
                return;
            }
            pos.restore(pos.stan(), pos.batch(), pos.batchEntries(), pending);
            final PosResult reversal = pos.sendPendingReversal();
            if (reversal == null || !reversal.approved()) {
                violation("the owed reversal of " + inFlight + " after the restart: " + reversal);
                return;
            }
            reversals++;
            final InFlight reversed = inFlight;
            pending = null;
            inFlight = null;
            final Long after = balance(reversed.account, "after the reversal of " + reversed);
            if (after == null) {
                return;
            }
            if (after != reversed.account.confirmed) {
                violation("after the reversal of " + reversed + " " + reversed.account + " has " + after
                        + ", expected " + reversed.account.confirmed);
                return;
            }
            // The original arrives late, after its reversal: a tombstone (never seen before the reversal) answers
            // 25; an original that had been applied and was reversed gets its recorded answer again (00). With the
            // balance unchanged before the reversal it was either never applied, or applied and already reversed
            // by a reversal whose answer was lost too: 25 or 00. Either way nothing changes.
            final PosResult late = resend(reversed.operation, reversed.account, reversed.amount, reversed.batch,
                    reversed.stan);
            final boolean expected = late.status() == PosResult.Status.ANSWERED && (applied
                    ? "00".equals(late.responseCode()) : "00".equals(late.responseCode()) || "25".equals(late.responseCode()));
            if (!expected) {
                violation("late original " + reversed + " after its reversal (it had " + (applied ? "" : "not ")
                        + "been applied): expected " + (applied ? "00" : "25 or 00") + ", got " + late);
            }
            if (!unchanged(reversed.account, "the late original " + reversed)) {
                return;
            }
        } else if (inFlight != null) {
            violation("test bug: " + inFlight + " unanswered but no reversal owed");
            return;
        }
        // (b)
        final List<Approved> inBatch = new ArrayList<>();
        for (final Approved a : approved) {
            if (a.batch == pos.batch() && rrn(a.rrn) > latestRrn - duplicateWindow) {
                inBatch.add(a);
            }
        }
        if (!inBatch.isEmpty()) {
            final Approved last = inBatch.get(inBatch.size() - 1);
            duplicate(last);
            final Approved other = inBatch.get(random.nextInt(inBatch.size()));
            if (other != last) {
                duplicate(other);
            }
            rawResend(last);
        }
    }

    /** (b): the same request (terminal, batch, STAN, card, amount) again, with a MAC under today's session key. */
    private void duplicate(final Approved original) {
        final PosResult again = resend(original.operation, original.account, original.amount, original.batch,
                original.stan);
        duplicatesChecked++;
        if (!again.approved() || !original.rrn.equals(again.rrn()) || !original.authCode.equals(again.authCode())
                || again.availableBalance() != original.available) {
            violation("resent acknowledged " + original.operation + " STAN " + original.stan + " of " + original.account
                    + " (first answer 00, RRN " + original.rrn + ", auth " + original.authCode + ", available "
                    + original.available + "): the repeat got " + again);
        }
        unchanged(original.account, "the repeat of STAN " + original.stan);
    }

    /** (b): the raw frame the terminal sent, byte for byte: its MAC was made with a session key the switch lost. */
    private void rawResend(final Approved original) {
        final byte[] body = original.request;
        String code;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            final OutputStream out = socket.getOutputStream();
            out.write(new byte[] {(byte) (body.length >> 8), (byte) body.length});
            out.write(body);
            out.flush();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final int length = in.readUnsignedShort();
            final byte[] answer = new byte[length];
            in.readFully(answer);
            final IsoMessage message = new IsoMessage(dialect);
            if (!message.wrap(new UnsafeBuffer(answer), 0, length) || !message.has(39)) {
                violation("raw resend of STAN " + original.stan + ": undecodable answer or no field 39");
                return;
            }
            code = new String(new char[] {(char) message.byteAt(39, 0), (char) message.byteAt(39, 1)});
        } catch (final IOException e) {
            violation("raw resend of STAN " + original.stan + ": " + e);
            return;
        }
        if (!"A0".equals(code)) {
            violation("raw resend of STAN " + original.stan + " (MAC under the dead process's MAK): expected A0, got "
                    + code);
        }
        unchanged(original.account, "the raw resend of STAN " + original.stan);
    }

    /** The same request as (operation, card, amount) sent as STAN {@code stan} of {@code requestBatch}. */
    private PosResult resend(final PosOperation operation, final Account account, final long amount,
            final int requestBatch, final int stan) {
        final int savedStan = pos.stan();
        final int savedBatch = pos.batch();
        final List<BatchEntry> savedEntries = pos.batchEntries();
        pos.restore(stan - 1, requestBatch, List.of(), null);
        try {
            return operation == PosOperation.RECHARGE ? pos.recharge(account.card, amount)
                    : pos.purchase(account.card, amount);
        } finally {
            pos.restore(savedStan, savedBatch, savedEntries, null);
        }
    }

    private boolean unchanged(final Account account, final String after) {
        final Long balance = balance(account, "after " + after);
        if (balance != null && balance != account.confirmed) {
            violation("after " + after + " " + account + " has " + balance + ", expected " + account.confirmed
                    + " (a second debit or credit)");
            return false;
        }
        return balance != null;
    }

    private Long balance(final Account account, final String when) {
        final PosResult balance = pos.balance(account.card);
        if (!balance.approved() || balance.availableBalance() == PosResult.NO_BALANCE) {
            violation("balance inquiry of " + account + " " + when + ": " + balance);
            return null;
        }
        latestRrn = Math.max(latestRrn, rrn(balance.rrn()));
        return balance.availableBalance();
    }

    private static long rrn(final String rrn) {
        try {
            return rrn == null ? 0 : Long.parseLong(rrn.trim());
        } catch (final NumberFormatException e) {
            return 0;
        }
    }

    private String lastApprovedOf(final Account account) {
        for (int i = approved.size() - 1; i >= 0; i--) {
            if (approved.get(i).account == account) {
                final Approved a = approved.get(i);
                return "its last acknowledged transaction: " + a.operation + " " + a.amount + " STAN " + a.stan
                        + " batch " + a.batch + " RRN " + a.rrn + " answered available " + a.available
                        + " (" + account.approved + " acknowledged in all)";
            }
        }
        return "no acknowledged transaction";
    }

    // ------------------------------------------------------------------ traffic

    /** Purchases and recharges (and a few balance inquiries) until {@code stop}; run on the terminal's own thread. */
    void run(final AtomicBoolean stop) {
        try {
            while (!stop.get()) {
                step();
            }
        } catch (final Throwable e) {
            violation("terminal thread failed: " + e);
        }
    }

    private void step() {
        if (pos.batchEntries().size() >= SETTLE_AT || sinceSettlement >= SETTLE_EVERY) {
            settle();
            return;
        }
        sinceSettlement++;
        final Account account = accounts.get(random.nextInt(accounts.size()));
        final long amount = 1 + random.nextInt((int) maxAmount);
        final boolean canPurchase = account.confirmed >= amount;
        final boolean canRecharge = recharges && account.confirmed + amount <= GIFT_CARD_CAP;
        final PosOperation operation;
        if (random.nextInt(100) < 3 || !canPurchase && !canRecharge) {
            operation = PosOperation.BALANCE_INQUIRY;
        } else if (canPurchase && (!canRecharge || random.nextBoolean())) {
            operation = PosOperation.PURCHASE;
        } else {
            operation = PosOperation.RECHARGE;
        }
        final PosResult result = switch (operation) {
            case PURCHASE -> pos.purchase(account.card, amount);
            case RECHARGE -> pos.recharge(account.card, amount);
            default -> pos.balance(account.card);
        };
        preliminaries(result);
        switch (result.status()) {
            case ANSWERED -> {
                sent++;
                if (!result.approved()) {
                    declines.merge(operation + " " + result.responseCode(), 1, Integer::sum);
                } else if (operation == PosOperation.BALANCE_INQUIRY) {
                    if (result.availableBalance() != account.confirmed) {
                        violation("balance inquiry of " + account + " answered " + result.availableBalance()
                                + ", the acknowledged answers give " + account.confirmed);
                    }
                } else {
                    account.confirmed += operation == PosOperation.RECHARGE ? amount : -amount;
                    account.approved++;
                    approved.add(new Approved(operation, account, amount, result.batch(), result.stan(), result.rrn(),
                            result.authCode(), result.availableBalance(), result.request()));
                    approvals = approved.size();
                    if (result.availableBalance() != account.confirmed) {
                        violation(operation + " " + amount + " STAN " + result.stan() + " of " + account
                                + " answered available " + result.availableBalance() + ", the acknowledged answers give "
                                + account.confirmed);
                    }
                }
            }
            case NOT_SENT -> {
                // the switch is gone (killed) or the owed reversal could not be sent: nothing left the terminal
            }
            default -> {
                sent++;
                if (result.reversalOwed() != null) {
                    lost++;
                    inFlight = new InFlight(operation, account, amount, result.batch(), result.stan());
                }
            }
        }
        checkOwed();
    }

    private void settle() {
        final PosResult result = pos.settle();
        preliminaries(result);
        if (result.status() == PosResult.Status.ANSWERED) {
            if (!result.approved()) {
                violation("settlement answered " + result);
            } else if (result.settlementFlag() != 1) {
                violation("settlement of batch " + result.batch() + " with the terminal's totals " + result.totals()
                        + " is not balanced (flag " + result.settlementFlag() + "): the switch's totals differ from"
                        + " the acknowledged transactions");
            } else {
                settlements++;
                sinceSettlement = 0;
            }
        } else if (result.status() != PosResult.Status.NOT_SENT) {
            // The batch may or may not be closed: take the switch's (when it is still there to answer).
            settlementUnanswered = !pos.signOn().approved();
        }
        checkOwed();
    }

    /** An owed reversal answered 00 before the request: the unanswered transaction is reversed. */
    private void preliminaries(final PosResult result) {
        for (final PosResult before : result.preliminaries()) {
            if (before.operation() != PosOperation.REVERSAL) {
                continue;
            }
            if (before.approved()) {
                reversals++;
                if (inFlight != null && inFlight.stan == before.stan()) {
                    inFlight = null;
                }
            } else if (before.status() == PosResult.Status.ANSWERED) {
                violation("reversal of " + inFlight + " answered " + before);
            }
        }
    }

    private void checkOwed() {
        final PendingReversal owed = pos.pendingReversal();
        if ((owed == null) != (inFlight == null) || owed != null && owed.stan() != inFlight.stan) {
            violation("test bug: terminal owes " + owed + " but the test has in flight " + inFlight);
        }
    }

    /** After the switch was killed and {@link #run} returned: keep what the next process's terminal needs. */
    void endRound() {
        lastStan = pos.stan();
        batch = pos.batch();
        entries = pos.batchEntries();
        pending = pos.pendingReversal();
        pos.close();
    }

    void close() {
        if (pos != null) {
            pos.close();
        }
    }

    String summary() {
        long total = 0;
        for (final Account account : accounts) {
            total += account.approved;
        }
        return terminalId + ": " + sent + " requests sent, " + total + " purchases/recharges approved, "
                + lost + " unanswered (" + inFlightApplied + " found applied, " + inFlightNotApplied
                + " not, after a restart), " + reversals + " reversals, " + settlements + " balanced settlements, "
                + duplicatesChecked + " duplicates checked, declines " + declines + (inFlight != null ? ", in flight "
                + inFlight : "");
    }

    @Override
    public String toString() {
        return "terminal " + terminalId;
    }
}
