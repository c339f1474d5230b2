package dev.prepaid.ledger;

import dev.prepaid.card.BinRange;
import dev.prepaid.card.CardType;
import dev.prepaid.card.Holder;
import dev.prepaid.card.Issuer;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Ascii;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.fee.DiscountRule;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.fee.FeeRule;
import dev.prepaid.fee.PointsRule;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.MerchantProfile;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.merchant.TerminalProfile;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.Operator;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The whole ledger state as a stream of bytes, in a fixed order with no hash-order iteration, so equal
 * states give equal bytes: the snapshot format and, hashed, the state digest. Versioned; the snapshot file
 * around it (magic, journal index, CRC32C) is written by {@link Ledger}.
 */
final class StateCodec {
    static final int VERSION = 1;
    private static final int SECTION_MARK = 0x5EC7_10A0;

    private StateCodec() {
    }

    static void write(final LedgerState s, final StateWriter out) {
        out.i32(VERSION);
        writeConfig(s.config, out);
        section(out, 1);
        for (final Parameters.Name name : Parameters.Name.values()) {
            out.string(name.key);
            out.i64(s.parameters.get(name));
        }
        out.string("");
        out.i32(s.businessDay);
        out.i32(s.nextAuthCode);
        out.i64(s.lastTimestamp);

        section(out, 2);
        out.i32(s.issuers.size());
        for (final Issuer issuer : s.issuers.values()) {
            out.string(issuer.code());
            out.string(issuer.name());
            out.string(issuer.institutionId());
        }
        int types = 0;
        for (final CardType type : s.cardTypes) {
            types += type == null ? 0 : 1;
        }
        out.i32(types);
        for (final CardType t : s.cardTypes) {
            if (t != null) {
                writeCardType(t, out);
            }
        }
        out.i32(s.binRanges.size());
        for (final BinRange r : s.binRanges) {
            out.i64(r.bin());
            out.i32(r.binLength());
            out.i32(r.panLength());
            out.i32(r.cardTypeId());
            out.i64(r.firstAccount());
            out.i64(r.lastAccount());
            out.i64(r.nextAccount());
            out.i32(r.runs());
            for (int i = 0; i < r.runs(); i++) {
                out.i64(r.runFirstAccount(i));
                out.i32(r.runFirstCard(i));
                out.i32(r.runCount(i));
            }
        }

        section(out, 3);
        out.i32(s.cards.count());
        s.cards.forEachRecordBytes((buffer, offset, length) -> out.bytes(buffer, offset, length));
        out.i32(s.holders.size());
        for (final Holder h : s.holders) {
            out.string(h.name());
            out.string(h.idType());
            out.string(h.idNumber());
            out.string(h.phone());
        }

        section(out, 4);
        out.i32(s.merchantCount);
        for (int m = 0; m < s.merchantCount; m++) {
            writeMerchant(s.merchants[m], out);
        }
        out.i32(s.terminalCount);
        for (int t = 0; t < s.terminalCount; t++) {
            writeTerminal(s.terminals[t], out);
        }
        out.i32(s.operatorCount);
        for (int o = 0; o < s.operatorCount; o++) {
            final Operator op = s.operators[o];
            out.string(op.operatorId());
            out.string(op.name());
            out.stored(op.role());
            out.string(op.merchantScope());
            out.stored(op.status());
            out.string(op.passwordHash());
            out.i32(s.nearThresholdDay[o]);
            out.i32(s.nearThresholdSales[o]);
        }

        section(out, 5);
        out.i32(s.rules.size());
        for (final Record rule : s.rules.all()) {
            writeRule(rule, out);
        }
        final int[] days = s.calendar.sortedDays();
        out.i32(days.length);
        for (final int day : days) {
            out.i32(day);
            out.stored(s.calendar.kindOf(day));
        }

        section(out, 6);
        for (final Account account : Account.values()) {
            out.i32(account.code);
            out.i64(s.books.debits(account));
            out.i64(s.books.credits(account));
        }

        section(out, 7);
        s.transactions.writeTo(out);
        s.holds.writeTo(out);
        s.review.writeTo(out);
        s.adminRequests.writeTo(out);

        section(out, 8);
        out.i64(s.nextPendingId);
        out.i32(s.pending.size());
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(512);
        final Envelope none = new Envelope("", 0, "", "");
        for (final PendingRequest p : s.pending.values()) {
            out.i64(p.id());
            out.string(p.maker());
            out.i32(p.createdDay());
            out.i32(p.state());
            out.string(p.checker());
            out.bool(p.request() != null);
            if (p.request() != null) {
                final int length = RecordCodec.encode(none, p.request(), scratch, 0);
                out.i32(length);
                out.bytes(scratch, 0, length);
            }
        }
        out.i32(s.settlements.size());
        for (final SettlementBatch b : s.settlements.values()) {
            out.i64(b.id());
            out.i32(b.preparedDay());
            out.string(b.preparedBy());
            out.i32(b.state());
            out.i32(b.lines());
            for (int i = 0; i < b.lines(); i++) {
                out.i32(b.merchant(i));
                out.i64(b.amount(i));
                out.i64(b.receivableCleared(i));
                out.i32(b.lineState(i));
                out.string(b.bankReference(i));
            }
        }
        section(out, 9);
    }

    private static void section(final StateWriter out, final int number) {
        out.i32(SECTION_MARK + number);
    }

    private static void expectSection(final StateReader in, final int number) {
        final int mark = in.i32();
        if (mark != SECTION_MARK + number) {
            throw new IllegalStateException("state corrupt: section " + number + " mark missing at offset " + in.offset());
        }
    }

    private static void writeConfig(final LedgerConfig c, final StateWriter out) {
        out.i32(c.maxCards());
        out.i32(c.transactionLogCapacity());
        out.i32(c.maxOpenHolds());
        out.i32(c.maxMerchants());
        out.i32(c.maxTerminals());
        out.i32(c.maxOperators());
        out.i32(c.maxCardTypes());
        out.i32(c.maxBinRanges());
        out.i32(c.maxRules());
        out.i32(c.maxPendingRequests());
        out.i32(c.reviewQueueCapacity());
        out.i32(c.adminRequestMemory());
        out.i32(c.calendarDays());
        out.i32(c.maxBatchCards());
    }

    private static LedgerConfig readConfig(final StateReader in) {
        return new LedgerConfig(in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(),
                in.i32(), in.i32(), in.i32(), in.i32(), in.i32());
    }

    private static void writeCardType(final CardType t, final StateWriter out) {
        out.i32(t.id());
        out.string(t.name());
        out.string(t.issuerCode());
        out.bool(t.named());
        out.i64(t.balanceCap());
        out.i64(t.initialBalance());
        out.i64(t.deposit());
        out.i64(t.issuanceFee());
        out.i64(t.replacementFee());
        out.i64(t.lostReportFee());
        out.bool(t.rechargeable());
        out.i32(t.validityMonths());
        out.i32(t.permittedKinds());
        out.i32(t.pinRequiredKinds());
        out.i32(t.pinTries());
        out.i64(t.singleLimit());
        out.i64(t.dailyAmountLimit());
        out.i32(t.dailyCountLimit());
        out.i64(t.monthlyAmountLimit());
        out.i32(t.monthlyCountLimit());
        out.i32(t.pointsPerYuan());
        out.bool(t.onSale());
    }

    private static CardType readCardType(final StateReader in) {
        return new CardType(in.i32(), in.string(), in.string(), in.bool(), in.i64(), in.i64(), in.i64(), in.i64(), in.i64(),
                in.i64(), in.bool(), in.i32(), in.i32(), in.i32(), in.i32(), in.i64(), in.i64(), in.i32(), in.i64(), in.i32(),
                in.i32(), in.bool());
    }

    private static void writeMerchant(final Merchant m, final StateWriter out) {
        final MerchantProfile p = m.profile();
        out.string(p.merchantId());
        out.string(p.name());
        out.string(p.category());
        out.stored(p.status());
        out.stored(p.cycle());
        out.i32(p.cycleDays());
        out.i64(p.thresholdFen());
        out.stored(p.refundFeePolicy());
        out.bool(p.rechargeAllowed());
        out.string(p.bankAccount());
        out.string(p.bankAccountName());
        out.string(p.bankName());
        out.string(p.cnapsCode());
        out.bool(m.underReview());
        out.i64(m.payable());
        out.i64(m.receivable());
        out.i64(m.feeAccrued());
        out.i64(m.shareAccrued());
        for (int b = 0; b < Merchant.DAY_BUCKETS; b++) {
            out.i32(m.bucketDay(b));
            out.i64(m.bucketNet(b));
        }
    }

    private static Merchant readMerchant(final int index, final StateReader in) {
        final MerchantProfile p = new MerchantProfile(in.string(), in.string(), in.string(),
                in.stored(MerchantStatus.class), in.stored(SettlementCycle.class), in.i32(), in.i64(),
                in.stored(RefundFeePolicy.class), in.bool(), in.string(), in.string(), in.string(), in.string());
        final Merchant m = new Merchant(index, p);
        m.underReview(in.bool());
        m.payable(in.i64());
        m.receivable(in.i64());
        m.restoreAccruals(in.i64(), in.i64());
        for (int b = 0; b < Merchant.DAY_BUCKETS; b++) {
            m.restoreBucket(b, in.i32(), in.i64());
        }
        return m;
    }

    private static void writeTerminal(final Terminal t, final StateWriter out) {
        final TerminalProfile p = t.profile();
        out.string(p.terminalId());
        out.string(p.merchantId());
        out.string(p.serialNumber());
        out.stored(p.status());
        out.stored(p.macAlgorithm());
        out.string(p.keyReference());
        out.string(p.deployerCode());
        out.stored(p.shareMethod());
        out.i64(p.shareRatePpm());
        out.i32(t.merchant().index());
        out.bool(t.signedOn());
        out.i32(t.currentBatch());
        out.i64(t.debitAmount());
        out.i32(t.debitCount());
        out.i64(t.creditAmount());
        out.i32(t.creditCount());
        out.i32(t.settledBatch());
        out.i32(t.settledFlag());
        out.i32(t.uploadedCount());
    }

    private static Terminal readTerminal(final int index, final LedgerState s, final StateReader in) {
        final TerminalProfile p = new TerminalProfile(in.string(), in.string(), in.string(),
                in.stored(TerminalStatus.class), in.stored(MacAlgorithm.class), in.string(), in.string(),
                in.stored(DeployerShareMethod.class), in.i64());
        final Terminal t = new Terminal(index, p, s.merchants[in.i32()]);
        t.restore(in.bool(), in.i32(), in.i64(), in.i32(), in.i64(), in.i32(), in.i32(), in.i32(), in.i32());
        return t;
    }

    private static void writeRule(final Record rule, final StateWriter out) {
        if (rule instanceof FeeRule) {
            final FeeRule r = (FeeRule) rule;
            out.i8(1);
            out.i64(r.ruleId());
            out.i32(r.merchantIndex());
            out.i32(r.cardTypeId());
            out.i32(r.kinds());
            out.i32(r.fromDay());
            out.i32(r.toDay());
            out.i32(r.priority());
            out.stored(r.method());
            out.i64(r.ratePpm());
            out.i64(r.fixedFen());
            out.i64(r.minFen());
            out.i64(r.capFen());
        } else if (rule instanceof DiscountRule) {
            final DiscountRule r = (DiscountRule) rule;
            out.i8(2);
            out.i64(r.ruleId());
            out.i32(r.merchantIndex());
            out.i32(r.cardTypeId());
            out.i32(r.fromDay());
            out.i32(r.toDay());
            out.i32(r.priority());
            out.i64(r.ratePpm());
            out.i64(r.minPurchaseFen());
            out.i64(r.capFen());
        } else {
            final PointsRule r = (PointsRule) rule;
            out.i8(3);
            out.i64(r.ruleId());
            out.i32(r.merchantIndex());
            out.i32(r.cardTypeId());
            out.i32(r.fromDay());
            out.i32(r.toDay());
            out.i32(r.priority());
            out.i32(r.pointsPerYuan());
        }
    }

    private static Record readRule(final StateReader in) {
        final int kind = in.i8();
        switch (kind) {
            case 1:
                return new FeeRule(in.i64(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(),
                        in.stored(FeeMethod.class), in.i64(), in.i64(), in.i64(), in.i64());
            case 2:
                return new DiscountRule(in.i64(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i64(), in.i64(), in.i64());
            case 3:
                return new PointsRule(in.i64(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32(), in.i32());
            default:
                throw new IllegalStateException("state corrupt: rule kind " + kind + " at offset " + in.offset());
        }
    }

    /** The version and capacities at the start of a state written by {@link #write}; nothing after them. */
    static LedgerConfig readCapacities(final StateReader in) {
        final int version = in.i32();
        if (version != VERSION) {
            throw new IllegalStateException("state version " + version + " is not readable by this build (reads " + VERSION + ")");
        }
        return readConfig(in);
    }

    /** Reads a state written by {@link #write}, into a fresh state of at least the recorded capacities. */
    static LedgerState read(final StateReader in, final LedgerConfig config) {
        final LedgerConfig recorded = readCapacities(in);
        requireAtLeast(recorded, config);
        final LedgerState s = new LedgerState(config);
        expectSection(in, 1);
        for (String key = in.string(); !key.isEmpty(); key = in.string()) {
            final long value = in.i64();
            final Parameters.Name name = Parameters.Name.ofKey(key);
            if (name != null) {
                s.parameters.set(name, value);
            }
        }
        final int businessDay = in.i32();
        if (businessDay != 0) {
            s.openBusinessDay(businessDay);
        }
        s.nextAuthCode = in.i32();
        s.lastTimestamp = in.i64();

        expectSection(in, 2);
        for (int i = in.i32(); i > 0; i--) {
            final Issuer issuer = new Issuer(in.string(), in.string(), in.string());
            s.issuers.put(issuer.code(), issuer);
        }
        for (int i = in.i32(); i > 0; i--) {
            final CardType type = readCardType(in);
            s.cardTypes[type.id()] = type;
        }
        for (int i = 0, n = in.i32(); i < n; i++) {
            final BinRange range = new BinRange(i, in.i64(), in.i32(), in.i32(), in.i32(), in.i64(), in.i64());
            final long next = in.i64();
            final int runs = in.i32();
            final long[] firstAccounts = new long[runs];
            final int[] firstCards = new int[runs];
            final int[] counts = new int[runs];
            for (int r = 0; r < runs; r++) {
                firstAccounts[r] = in.i64();
                firstCards[r] = in.i32();
                counts[r] = in.i32();
            }
            range.restore(next, firstAccounts, firstCards, counts);
            s.binRanges.add(range);
        }

        s.refreshIssuerIds();
        expectSection(in, 3);
        final int cardCount = in.i32();
        s.cards.load(cardCount, (UnsafeBuffer buffer, int offset, int length) -> in.bytes(buffer, offset, length));
        for (int i = in.i32(); i > 0; i--) {
            s.holders.add(new Holder(in.string(), in.string(), in.string(), in.string()));
        }

        expectSection(in, 4);
        s.merchantCount = in.i32();
        for (int m = 0; m < s.merchantCount; m++) {
            s.merchants[m] = readMerchant(m, in);
            s.merchantIndex.put(s.merchants[m].profile().merchantId(), m);
        }
        s.terminalCount = in.i32();
        for (int t = 0; t < s.terminalCount; t++) {
            final Terminal terminal = readTerminal(t, s, in);
            s.terminals[t] = terminal;
            s.indexTerminal(Ascii.pack(terminal.profile().terminalId(), 0, 8), t);
            s.terminalIndexById.put(terminal.profile().terminalId(), t);
        }
        s.operatorCount = in.i32();
        for (int o = 0; o < s.operatorCount; o++) {
            final Operator op = new Operator(in.string(), in.string(), in.stored(Role.class), in.string(),
                    in.stored(OperatorStatus.class), in.string());
            s.operators[o] = op;
            s.operatorIndex.put(op.operatorId(), o);
            s.nearThresholdDay[o] = in.i32();
            s.nearThresholdSales[o] = in.i32();
        }

        expectSection(in, 5);
        for (int i = in.i32(); i > 0; i--) {
            s.rules.put(readRule(in));
        }
        for (int i = in.i32(); i > 0; i--) {
            s.calendar.set(in.i32(), in.stored(DayKind.class));
        }

        expectSection(in, 6);
        for (final Account account : Account.values()) {
            final int code = in.i32();
            if (code != account.code) {
                throw new IllegalStateException("state corrupt: account " + code + " where " + account.code + " belongs");
            }
            s.books.restore(account, in.i64(), in.i64());
        }

        expectSection(in, 7);
        s.transactions.readFrom(in);
        s.holds.readFrom(in);
        s.review.readFrom(in);
        s.adminRequests.readFrom(in);

        expectSection(in, 8);
        s.nextPendingId = in.i64();
        for (int i = in.i32(); i > 0; i--) {
            final long id = in.i64();
            final String maker = in.string();
            final int day = in.i32();
            final int state = in.i32();
            final String checker = in.string();
            AdminCommand request = null;
            if (in.bool()) {
                final byte[] bytes = new byte[in.i32()];
                in.bytes(bytes, 0, bytes.length);
                request = RecordCodec.decodeCommand(new UnsafeBuffer(bytes), 0, bytes.length);
            }
            final PendingRequest p = new PendingRequest(id, maker, day, request);
            if (state != PendingRequest.WAITING) {
                p.decide(state, checker);
            }
            s.pending.put(id, p);
        }
        for (int i = in.i32(); i > 0; i--) {
            final long id = in.i64();
            final int day = in.i32();
            final String by = in.string();
            final int state = in.i32();
            final int lines = in.i32();
            final int[] merchant = new int[lines];
            final long[] amount = new long[lines];
            final long[] receivable = new long[lines];
            final int[] lineState = new int[lines];
            final String[] reference = new String[lines];
            for (int l = 0; l < lines; l++) {
                merchant[l] = in.i32();
                amount[l] = in.i64();
                receivable[l] = in.i64();
                lineState[l] = in.i32();
                reference[l] = in.string();
            }
            final SettlementBatch batch = new SettlementBatch(id, day, by, merchant, amount, receivable);
            batch.state(state);
            for (int l = 0; l < lines; l++) {
                batch.lineResult(l, lineState[l], reference[l]);
            }
            s.settlements.put(id, batch);
        }
        expectSection(in, 9);
        return s;
    }

    private static void requireAtLeast(final LedgerConfig recorded, final LedgerConfig config) {
        if (config.maxCards() < recorded.maxCards()
                || config.transactionLogCapacity() != recorded.transactionLogCapacity()
                || config.maxOpenHolds() < recorded.maxOpenHolds() || config.maxMerchants() < recorded.maxMerchants()
                || config.maxTerminals() < recorded.maxTerminals() || config.maxOperators() < recorded.maxOperators()
                || config.maxCardTypes() < recorded.maxCardTypes() || config.reviewQueueCapacity() != recorded.reviewQueueCapacity()
                || config.adminRequestMemory() != recorded.adminRequestMemory()) {
            throw new IllegalStateException("the snapshot was taken with capacities " + recorded
                    + "; the configuration has " + config + " (capacities may grow, ring sizes must stay)");
        }
    }
}
