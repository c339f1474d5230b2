package dev.prepaid.load;

import dev.prepaid.pos.Card;
import dev.prepaid.pos.Original;
import dev.prepaid.pos.PosExchange;
import dev.prepaid.pos.PosOperation;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * One terminal of the load generator, on its event loop's thread only. For each slot it is given it does what
 * a terminal does before a transaction — sign on when it has no keys, send the reversal it owes, settle a batch
 * about to fill — then sends the slot's request as the mix draws it, and for the mix's pairs the second request
 * (a completion after its pre-authorisation, the reversal of a purchase whose answer it set aside). One request in
 * flight at a time, as on a real terminal. The slot's latency is taken when the answer to its request comes, from
 * the slot's due time; every exchange is counted by operation and response code; every approval goes into the
 * {@link Books}. A request without an answer within the timeout drops the connection (a late answer must not be
 * taken for the next one) and leaves its reversal owed, as the terminal's own blocking calls do.
 */
final class TerminalDriver {
    /** The generator's side of an event loop, shared by its terminals. */
    interface Loop {
        long now();

        long timeoutNanos();

        /** Opens a connection for {@code driver}; {@link #connected} or {@link #connectFailed} follows. */
        void connect(TerminalDriver driver);

        /** {@code driver} has finished what it was given and can take the next slot. */
        void idle(TerminalDriver driver);

        LoadContext context();
    }

    /** What the exchange in flight is for. */
    private enum Stage {
        /** Sign-on, an owed reversal, a settlement: before the slot's request. */
        PREPARE,
        /** The slot's request. */
        MAIN,
        /** The second request of a pair. */
        FOLLOW_UP
    }

    /** An owed reversal declined this many times in a row is given up (the card's balance is then unknown). */
    static final int REVERSAL_ATTEMPTS = 3;
    /** The batch is settled before it holds this many: room for a slot's request and a completion. */
    static final int SETTLE_AT = PosTerminal.MAX_BATCH_ENTRIES - 2;
    private static final int RECENT = 16;
    private static final int CARD_TRIES = 4;

    /** An approved purchase of this terminal, for a later void or refund. */
    private static final class Recent {
        final Original original;
        final int card;
        boolean voided;
        boolean refunded;

        Recent(final Original original, final int card) {
            this.original = original;
            this.card = card;
        }
    }

    final int index;
    final PosTerminal pos;
    private final Loop loop;
    private final LoadContext context;
    private Channel channel;
    private boolean connecting;

    private boolean busy;
    private boolean measured;
    private long dueNanos;
    private Measurements.Step step;
    private Mix.Operation operation;
    private int reversalAttempts;
    private boolean shiftToSettle;

    private PosExchange inFlight;
    private PosExchange first;
    private Stage stage;
    private long sentNanos;
    private long deadlineNanos;
    /** The answer to the request in flight is set aside unread (the mix's reversal). */
    private boolean setAside;

    private PosOperation sent;
    private int card;
    private long amount;
    private long held;
    private Recent original;
    /** The card whose reversal the terminal owes, or −1. */
    private int owedCard = -1;
    private final Recent[] recent = new Recent[RECENT];
    private int recentNext;

    TerminalDriver(final int index, final PosTerminal pos, final Loop loop) {
        this.index = index;
        this.pos = pos;
        this.loop = loop;
        this.context = loop.context();
    }

    /** Whether the terminal cannot take a slot now. */
    boolean busy() {
        return busy || connecting;
    }

    /** A slot to serve: due at {@code due}, of step {@code stepNumber} ({@link Schedule#UNMEASURED}: not measured). */
    void serve(final long due, final int stepNumber) {
        begin(due, stepNumber);
        operation = context.mix.draw(context.random);
        proceed();
    }

    /** Only what must come before a transaction: sign on, send an owed reversal (the start and the end of a run). */
    void prepare() {
        begin(loop.now(), Schedule.UNMEASURED);
        operation = null;
        proceed();
    }

    /**
     * The start of a run on a switch that served earlier ones: sign on, then settle the batch the switch has open for
     * this terminal, so that the run's STANs, which start again at 1, are those of a new batch and not duplicates of
     * an earlier run's (a real terminal keeps its STAN; the generator's terminals are new each run).
     */
    void newShift() {
        begin(loop.now(), Schedule.UNMEASURED);
        operation = null;
        shiftToSettle = true;
        proceed();
    }

    private void begin(final long due, final int stepNumber) {
        busy = true;
        dueNanos = due;
        measured = stepNumber >= 0;
        step = context.measurements.step(stepNumber);
        if (measured) {
            context.started(step);
        }
        reversalAttempts = 0;
    }

    /** The next exchange of the slot: what must come first, else its request. */
    private void proceed() {
        if (!pos.signedOn()) {
            send(pos.startSignOn(), Stage.PREPARE);
        } else if (pos.pendingReversal() != null) {
            send(pos.startPendingReversal(), Stage.PREPARE);
        } else if (shiftToSettle) {
            shiftToSettle = false;
            send(pos.startSettlement(), Stage.PREPARE);
        } else if (operation == null) {
            done();
        } else if (pos.batchSize() >= SETTLE_AT) {
            send(pos.startSettlement(), Stage.PREPARE);
        } else {
            request();
        }
    }

    // ------------------------------------------------------------------ the slot's request

    private void request() {
        setAside = false;
        original = null;
        switch (operation) {
            case VOID -> {
                final Recent r = latest(true);
                if (r == null) {
                    purchase();
                } else {
                    original = r;
                    main(PosOperation.PURCHASE_VOID, r.card, r.original.amount(), null, r.original);
                }
            }
            case REFUND -> {
                final Recent r = latest(false);
                if (r == null) {
                    purchase();
                } else {
                    original = r;
                    main(PosOperation.REFUND, r.card, r.original.amount(), null, r.original);
                }
            }
            case RECHARGE -> recharge();
            case BALANCE -> {
                final int c = context.random.nextInt(context.cards.count());
                main(PosOperation.BALANCE_INQUIRY, c, -1, context.cards.pin(c), null);
            }
            case PREAUTH -> {
                final long a = Mix.amount(context.random, context.mix.preauthFen);
                final int c = cardHolding(a);
                main(PosOperation.PREAUTH, c, a, context.cards.pin(c), null);
            }
            case REVERSAL -> {
                setAside = true;
                final long a = Mix.amount(context.random, context.mix.purchaseFen);
                final int c = cardHolding(a);
                main(PosOperation.PURCHASE, c, a, context.cards.pin(c), null);
            }
            default -> purchase();
        }
    }

    /** A purchase, with a wrong PIN or more than the card holds as often as the mix asks. */
    private void purchase() {
        final double x = context.random.nextDouble() * 100;
        if (x < context.mix.wrongPinPercent) {
            final int c = context.wrongPinCard();
            if (c >= 0) {
                main(PosOperation.PURCHASE, c, Mix.amount(context.random, context.mix.purchaseFen),
                        context.cards.wrongPin(c), null);
                return;
            }
        } else if (x < context.mix.wrongPinPercent + context.mix.insufficientPercent) {
            final int c = context.random.nextInt(context.cards.count());
            main(PosOperation.PURCHASE, c, Math.max(1, context.books.available(c)) + 1 + context.random.nextInt(1_000),
                    context.cards.pin(c), null);
            return;
        }
        final long a = Mix.amount(context.random, context.mix.purchaseFen);
        final int c = cardHolding(a);
        main(PosOperation.PURCHASE, c, a, context.cards.pin(c), null);
    }

    /** A recharge within the card's cap; a balance inquiry when the cards drawn are full. */
    private void recharge() {
        final long wanted = Mix.amount(context.random, context.mix.rechargeFen);
        int best = -1;
        long room = 0;
        for (int i = 0; i < CARD_TRIES && room < wanted; i++) {
            final int c = context.random.nextInt(context.cards.count());
            final long r = Mix.MAX_AMOUNT_FEN - context.books.available(c) - context.books.holds(c);
            if (r > room) {
                best = c;
                room = r;
            }
        }
        if (best < 0) {
            final int c = context.random.nextInt(context.cards.count());
            main(PosOperation.BALANCE_INQUIRY, c, -1, context.cards.pin(c), null);
            return;
        }
        main(PosOperation.RECHARGE, best, Math.min(wanted, room), context.cards.pin(best), null);
    }

    /** A card that holds at least {@code fen} as far as the approvals say, after a few draws; else the last drawn. */
    private int cardHolding(final long fen) {
        int c = 0;
        for (int i = 0; i < CARD_TRIES; i++) {
            c = context.random.nextInt(context.cards.count());
            if (context.books.available(c) >= fen) {
                return c;
            }
        }
        return c;
    }

    /** The newest purchase of this terminal that may be voided (open batch) or refunded; null when none. */
    private Recent latest(final boolean forVoid) {
        for (int i = 1; i <= RECENT; i++) {
            final Recent r = recent[(recentNext - i + RECENT) % RECENT];
            if (r != null && !r.voided && !r.refunded && (!forVoid || r.original.batch() == pos.batch())) {
                return r;
            }
        }
        return null;
    }

    private void main(final PosOperation operationSent, final int cardIndex, final long fen, final String pin,
            final Original of) {
        sent = operationSent;
        card = cardIndex;
        amount = fen;
        final Card read = of != null ? of.card() : context.card(cardIndex);
        send(pos.start(operationSent, read, fen, pin, of), Stage.MAIN);
    }

    // ------------------------------------------------------------------ exchanges

    private void send(final PosExchange exchange, final Stage of) {
        first = exchange;
        stage = of;
        transmit(exchange);
    }

    private void transmit(final PosExchange exchange) {
        inFlight = exchange;
        if (channel == null || !channel.isActive()) {
            channel = null;
            connecting = true;
            loop.connect(this);
            return;
        }
        sentNanos = loop.now();
        deadlineNanos = sentNanos + loop.timeoutNanos();
        channel.writeAndFlush(Unpooled.wrappedBuffer(exchange.frame()), channel.voidPromise());
    }

    /** The connection {@link Loop#connect} opened. */
    void connected(final Channel opened) {
        connecting = false;
        channel = opened;
        if (inFlight != null) {
            transmit(inFlight);
        }
    }

    void connectFailed(final String why) {
        connecting = false;
        if (inFlight != null) {
            ended(pos.failed(inFlight, PosResult.Status.NOT_SENT, "cannot connect: " + why), loop.now());
        }
    }

    /** A frame body that came on this terminal's connection {@code from}. */
    void frame(final Channel from, final byte[] body, final int length) {
        if (from != channel || inFlight == null) {
            return; // a late answer on a connection already dropped, or nothing asked
        }
        final long now = loop.now();
        final PosExchange exchange = inFlight;
        if (setAside && stage == Stage.MAIN) {
            answeredSlot(now);
            Measurements.countSetAside(step, exchange.operation());
            pos.failed(exchange, PosResult.Status.TIMEOUT, "answer set aside by the load generator");
            inFlight = null;
            owedCard = card;
            send(pos.startPendingReversal(), Stage.FOLLOW_UP);
            return;
        }
        final PosExchange next = pos.answer(exchange, body, 0, length);
        if (next == exchange) {
            return; // not its answer: keep waiting
        }
        if (exchange.result().status() == PosResult.Status.FAILED) {
            drop();
        }
        if (stage == Stage.MAIN && exchange.result().status() == PosResult.Status.ANSWERED) {
            answeredSlot(now);
            if (measured) {
                context.record(step.service, now - sentNanos);
            }
        }
        ended(next, now);
    }

    /** Called by the event loop's scan: the request in flight got no answer in time. */
    void checkTimeout(final long now) {
        if (inFlight != null && !connecting && channel != null && now - deadlineNanos > 0) {
            drop();
            ended(pos.failed(inFlight, PosResult.Status.TIMEOUT, "no answer within "
                    + loop.timeoutNanos() / 1_000_000 + " ms"), now);
        }
    }

    /** The connection {@code closed} is gone. */
    void disconnected(final Channel closed) {
        if (closed != channel) {
            return;
        }
        channel = null;
        if (inFlight != null && !connecting) {
            ended(pos.failed(inFlight, PosResult.Status.FAILED, "the switch closed the connection"), loop.now());
        }
    }

    private void drop() {
        if (channel != null) {
            final Channel gone = channel;
            channel = null;
            gone.close();
        }
    }

    /** The exchange in flight ended; {@code next} is the next of its operation, or null. */
    private void ended(final PosExchange next, final long now) {
        final PosExchange exchange = inFlight;
        inFlight = null;
        Measurements.count(step, exchange.result());
        if (next != null) {
            transmit(next);
            return;
        }
        final PosResult result = first.result();
        switch (stage) {
            case PREPARE -> prepared(result);
            case MAIN -> mainEnded(result, now);
            default -> followUpEnded(result);
        }
    }

    private void prepared(final PosResult result) {
        switch (result.operation()) {
            case REVERSAL -> {
                if (result.approved()) {
                    owedCard = -1;
                    proceed();
                } else if (result.status() == PosResult.Status.ANSWERED) {
                    if (++reversalAttempts >= REVERSAL_ATTEMPTS) {
                        giveUpReversal();
                    }
                    proceed();
                } else {
                    done();
                }
            }
            default -> {
                if (result.approved()) {
                    proceed();
                } else {
                    done(); // the slot fails; the next one tries again
                }
            }
        }
    }

    private void mainEnded(final PosResult result, final long now) {
        if (result.reversalOwed() != null) {
            owedCard = card;
        }
        if (!result.approved()) {
            done();
            return;
        }
        approved(result);
        switch (sent) {
            case PURCHASE -> {
                context.books.debit(card, amount);
                recent[recentNext] = new Recent(result.original(), card);
                recentNext = (recentNext + 1) % RECENT;
            }
            case PURCHASE_VOID -> {
                context.books.credit(card, amount);
                original.voided = true;
            }
            case REFUND -> {
                context.books.credit(card, amount);
                original.refunded = true;
            }
            case RECHARGE -> context.books.credit(card, amount);
            case PREAUTH -> {
                context.books.hold(card, amount);
                held = amount;
                // completed at 80 to 100 % of the authorised amount
                amount = Math.max(1, held - context.random.nextLong(held / 5 + 1));
                sent = PosOperation.COMPLETION;
                send(pos.start(PosOperation.COMPLETION, result.card(), amount, null, result.original()),
                        Stage.FOLLOW_UP);
                return;
            }
            default -> {
                // a balance inquiry moves nothing
            }
        }
        done();
    }

    private void followUpEnded(final PosResult result) {
        if (result.operation() == PosOperation.REVERSAL) {
            if (result.approved()) {
                owedCard = -1;
            }
        } else {
            if (result.reversalOwed() != null) {
                owedCard = card;
            }
            if (result.approved()) {
                approved(result);
                context.books.complete(card, held, amount);
            }
        }
        done();
    }

    private void approved(final PosResult result) {
        if (measured) {
            step.approved.increment();
            if (result.operation() == PosOperation.PURCHASE) {
                step.approvedPurchases.increment();
            }
        }
    }

    /** The slot's request was answered at {@code now}: its latency from the due time. */
    private void answeredSlot(final long now) {
        final long latency = now - dueNanos;
        context.record(context.measurements.interval, latency);
        if (measured) {
            context.record(step.latency, latency);
            final int mode = context.measurements.mode;
            context.record(step.byMode[mode], latency);
            step.answeredByMode[mode].increment();
            step.answered.increment();
        }
    }

    /** The owed reversal is declined again and again: the terminal forgets it; the card's balance is unknown. */
    private void giveUpReversal() {
        pos.discardReversal();
        if (owedCard >= 0) {
            context.books.uncertain(owedCard);
        }
        owedCard = -1;
        context.reversalsGivenUp.increment();
    }

    private void done() {
        busy = false;
        operation = null;
        loop.idle(this);
    }

    /**
     * The end of the run, the schedule over: a slot still in flight is recorded with the time it has waited, as
     * an unanswered one; the terminal then forgets it.
     */
    void abandon(final long now) {
        if (busy && measured) {
            context.record(step.latency, now - dueNanos);
        }
        if (inFlight != null) {
            drop();
            pos.failed(inFlight, PosResult.Status.TIMEOUT, "the run ended");
            if (inFlight.operation().reversible()) {
                owedCard = card;
            }
            inFlight = null;
        }
        busy = false;
        operation = null;
    }

    /** The card whose reversal is owed and not yet answered, or −1. */
    int owedCard() {
        return pos.pendingReversal() == null ? -1 : owedCard;
    }

    void close() {
        drop();
    }
}
