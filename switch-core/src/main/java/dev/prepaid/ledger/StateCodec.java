package dev.prepaid.ledger;

import dev.prepaid.card.BinRange;
import dev.prepaid.card.CardType;
import dev.prepaid.card.Holder;
import dev.prepaid.card.Issuer;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.Ascii;
import dev.prepaid.merchant.Deployer;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.operator.Operator;
import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The whole ledger state as a stream of bytes, in a fixed order with no hash-order iteration, so equal
 * states give equal bytes: the snapshot format and, hashed, the state digest. Each part writes and reads
 * itself ({@code writeTo}/{@code readFrom}); this class says in which order, in marked sections, and rebuilds
 * the indexes that are not stored. The snapshot file around it (magic, journal index, CRC32C) is written by
 * {@link Ledger}.
 *
 * <p>Versions: 1 has sections 1 to 9, frozen by the format fixtures (ledger-journal's FormatFixtureTest).
 * Version 2 adds section 10, the operators' login state (wrong passwords in a row, locked, must change the
 * password). Version 3 adds section 11, the audit trail, and section 12, the decisions on the risk review queue
 * (section 10 is then always written, with no operators when none has a login state). A state is written in the
 * lowest version that holds it: one whose operators have no login state is version 1, byte for byte as before;
 * one with no audit trail and no review decision is at most version 2 — so a journal written before logins, the
 * trail or review decisions existed still replays to the digests it had.
 *
 * <p>Version 4 adds section 13, what settlement batches freeze (SettlementBatch#writeFrozenTo): the payee of each
 * line whose merchant changed its bank details since the batch was prepared, and the payout files recorded for a
 * batch. Sections 10 to 12 are then always written. A batch whose payees all equal their merchants' details and
 * that has no files is not in it, so a journal written before payees were kept replays to its old digests; a batch
 * read from a state before version 4, or left out of section 13, takes its payees from its merchants as they are.
 *
 * <p>Version 5 adds section 14, the business days whose failed reconciliation holds settlement
 * (RECORD_RECONCILIATION). Sections 10 to 13 are then always written. A state that holds no day is at most version 4,
 * so a journal written before reconciliation existed replays to its old digests.
 *
 * <p>Version 6 adds section 15, what issue 11 added to the ledger: the merchants whose contract settles POS recharges
 * apart (their flag, their recharge-cash receivable — a second 1122 sub-account — and its activity per day) and the
 * settlement batches that collect recharge cash or pay deployers (each line's collection, its state and bank
 * reference; the deployer lines), and the terminal deployers (profile, 2205 sub-account, today's shares). A state
 * without any of it is written in the version it was before, byte for byte (section 14 then holds no day, or some).
 */
final class StateCodec {
    static final int VERSION = 6;
    private static final int FIRST_VERSION = 1;
    private static final int SECTION_MARK = 0x5EC7_10A0;

    private StateCodec() {
    }

    static void write(final LedgerState s, final StateWriter out) {
        final boolean logins = s.anyOperatorSecurityState();
        final boolean v6 = anyVersion6(s);
        final boolean v5 = v6 || !s.reconciliationHeld.isEmpty();
        final boolean v4 = v5 || anyFrozen(s);
        final boolean v3 = v4 || s.audit.isOpen() || s.review.anyDecision();
        out.i32(v6 ? 6 : v5 ? 5 : v4 ? 4 : v3 ? 3 : logins ? 2 : FIRST_VERSION);
        s.config.writeTo(out);
        section(out, 1);
        s.parameters.writeTo(out);
        out.i32(s.businessDay);
        out.i32(s.nextAuthCode);
        out.i64(s.lastTimestamp);

        section(out, 2);
        out.i32(s.issuers.size());
        for (final Issuer issuer : s.issuers.values()) {
            issuer.writeTo(out);
        }
        int types = 0;
        for (final CardType type : s.cardTypes) {
            types += type == null ? 0 : 1;
        }
        out.i32(types);
        for (final CardType type : s.cardTypes) {
            if (type != null) {
                type.writeTo(out);
            }
        }
        out.i32(s.binRanges.size());
        for (final BinRange range : s.binRanges) {
            range.writeTo(out);
        }

        section(out, 3);
        out.i32(s.cards.count());
        s.cards.forEachRecordBytes((buffer, offset, length) -> out.bytes(buffer, offset, length));
        out.i32(s.holders.size());
        for (final Holder holder : s.holders) {
            holder.writeTo(out);
        }

        section(out, 4);
        out.i32(s.merchantCount);
        for (int m = 0; m < s.merchantCount; m++) {
            s.merchants[m].writeTo(out);
        }
        out.i32(s.terminalCount);
        for (int t = 0; t < s.terminalCount; t++) {
            s.terminals[t].writeTo(out);
        }
        out.i32(s.operatorCount);
        for (int o = 0; o < s.operatorCount; o++) {
            s.operators[o].writeTo(out);
            out.i32(s.nearThresholdDay[o]);
            out.i32(s.nearThresholdSales[o]);
        }

        section(out, 5);
        s.rules.writeTo(out);
        s.calendar.writeTo(out);

        section(out, 6);
        s.books.writeTo(out);

        section(out, 7);
        s.transactions.writeTo(out);
        s.holds.writeTo(out);
        s.review.writeTo(out);
        s.adminRequests.writeTo(out);

        section(out, 8);
        out.i64(s.nextPendingId);
        out.i32(s.pending.size());
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(512);
        for (final PendingRequest pending : s.pending.values()) {
            pending.writeTo(out, scratch);
        }
        out.i32(s.settlements.size());
        for (final SettlementBatch batch : s.settlements.values()) {
            batch.writeTo(out);
        }
        section(out, 9);
        if (logins || v3) {
            section(out, 10);
            int kept = 0;
            for (int o = 0; o < s.operatorCount; o++) {
                kept += s.loginFailures[o] != 0 || s.operatorFlags[o] != 0 ? 1 : 0;
            }
            out.i32(kept);
            for (int o = 0; o < s.operatorCount; o++) {
                if (s.loginFailures[o] != 0 || s.operatorFlags[o] != 0) {
                    out.i32(o);
                    out.i32(s.loginFailures[o]);
                    out.i8(s.operatorFlags[o]);
                }
            }
        }
        if (v3) {
            section(out, 11);
            s.audit.writeTo(out);
            section(out, 12);
            s.review.writeDecisionsTo(out);
        }
        if (v4) {
            section(out, 13);
            int batches = 0;
            for (final SettlementBatch batch : s.settlements.values()) {
                batches += batch.holdsFrozen(profiles(s)) ? 1 : 0;
            }
            out.i32(batches);
            for (final SettlementBatch batch : s.settlements.values()) {
                if (batch.holdsFrozen(profiles(s))) {
                    batch.writeFrozenTo(out, profiles(s));
                }
            }
        }
        if (v5) {
            section(out, 14);
            out.i32(s.reconciliationHeld.size());
            for (int i = 0; i < s.reconciliationHeld.size(); i++) {
                out.i32(s.reconciliationHeld.getInt(i));
            }
        }
        if (v6) {
            section(out, 15);
            int merchants = 0;
            for (int m = 0; m < s.merchantCount; m++) {
                merchants += s.merchants[m].holdsRechargeTerms() ? 1 : 0;
            }
            out.i32(merchants);
            for (int m = 0; m < s.merchantCount; m++) {
                if (s.merchants[m].holdsRechargeTerms()) {
                    out.i32(m);
                    s.merchants[m].writeRechargeTermsTo(out);
                }
            }
            int batches = 0;
            for (final SettlementBatch batch : s.settlements.values()) {
                batches += batch.holdsSection15() ? 1 : 0;
            }
            out.i32(batches);
            for (final SettlementBatch batch : s.settlements.values()) {
                if (batch.holdsSection15()) {
                    batch.writeCollectionsTo(out);
                }
            }
            out.i32(s.deployerCount);
            for (int d = 0; d < s.deployerCount; d++) {
                s.deployers[d].writeTo(out);
            }
        }
    }

    /** Whether the state holds anything only version 6 can write (section 15). */
    private static boolean anyVersion6(final LedgerState s) {
        for (int m = 0; m < s.merchantCount; m++) {
            if (s.merchants[m].holdsRechargeTerms()) {
                return true;
            }
        }
        for (final SettlementBatch batch : s.settlements.values()) {
            if (batch.holdsSection15()) {
                return true;
            }
        }
        return s.deployerCount > 0;
    }

    private static boolean anyFrozen(final LedgerState s) {
        for (final SettlementBatch batch : s.settlements.values()) {
            if (batch.holdsFrozen(profiles(s))) {
                return true;
            }
        }
        return false;
    }

    /** The current bank details of each merchant index (null for none), as settlement batches compare them. */
    private static java.util.function.IntFunction<dev.prepaid.merchant.MerchantProfile> profiles(final LedgerState s) {
        return m -> m >= 0 && m < s.merchantCount ? s.merchants[m].profile() : null;
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

    /** The version and capacities at the start of a state written by {@link #write}; nothing after them. */
    static LedgerConfig readCapacities(final StateReader in) {
        readVersion(in);
        return LedgerConfig.readFrom(in);
    }

    private static int readVersion(final StateReader in) {
        final int version = in.i32();
        if (version < FIRST_VERSION || version > VERSION) {
            throw new IllegalStateException("state version " + version + " is not readable by this build (reads "
                    + FIRST_VERSION + " to " + VERSION + ")");
        }
        return version;
    }

    /** Reads a state written by {@link #write}, into a fresh state of at least the recorded capacities. */
    static LedgerState read(final StateReader in, final LedgerConfig config) {
        final int version = readVersion(in);
        final LedgerConfig recorded = LedgerConfig.readFrom(in);
        requireAtLeast(recorded, config);
        final LedgerState s = new LedgerState(config);
        expectSection(in, 1);
        s.parameters.readFrom(in);
        final int businessDay = in.i32();
        if (businessDay != 0) {
            s.openBusinessDay(businessDay);
        }
        s.nextAuthCode = in.i32();
        s.lastTimestamp = in.i64();

        expectSection(in, 2);
        for (int i = in.i32(); i > 0; i--) {
            final Issuer issuer = Issuer.readFrom(in);
            s.issuers.put(issuer.code(), issuer);
        }
        for (int i = in.i32(); i > 0; i--) {
            final CardType type = CardType.readFrom(in);
            s.cardTypes[type.id()] = type;
        }
        for (int i = 0, n = in.i32(); i < n; i++) {
            s.binRanges.add(BinRange.readFrom(i, in));
        }
        s.refreshBinTable();
        s.refreshIssuerIds();

        expectSection(in, 3);
        final int cardCount = in.i32();
        s.cards.load(cardCount, (UnsafeBuffer buffer, int offset, int length) -> in.bytes(buffer, offset, length));
        for (int i = in.i32(); i > 0; i--) {
            s.holders.add(Holder.readFrom(in));
        }

        expectSection(in, 4);
        s.merchantCount = in.i32();
        for (int m = 0; m < s.merchantCount; m++) {
            s.merchants[m] = Merchant.readFrom(m, in);
            s.merchantIndex.put(s.merchants[m].profile().merchantId(), m);
        }
        s.terminalCount = in.i32();
        for (int t = 0; t < s.terminalCount; t++) {
            final Terminal terminal = Terminal.readFrom(t, s.merchants, in);
            s.terminals[t] = terminal;
            s.indexTerminal(Ascii.pack(terminal.profile().terminalId(), 0, 8), t);
            s.terminalIndexById.put(terminal.profile().terminalId(), t);
        }
        s.operatorCount = in.i32();
        for (int o = 0; o < s.operatorCount; o++) {
            final Operator op = Operator.readFrom(in);
            s.operators[o] = op;
            s.operatorIndex.put(op.operatorId(), o);
            s.nearThresholdDay[o] = in.i32();
            s.nearThresholdSales[o] = in.i32();
        }

        expectSection(in, 5);
        s.rules.readFrom(in);
        s.calendar.readFrom(in);

        expectSection(in, 6);
        s.books.readFrom(in);

        expectSection(in, 7);
        s.transactions.readFrom(in);
        s.holds.readFrom(in);
        s.review.readFrom(in);
        s.adminRequests.readFrom(in);

        expectSection(in, 8);
        s.nextPendingId = in.i64();
        for (int i = in.i32(); i > 0; i--) {
            final PendingRequest pending = PendingRequest.readFrom(in);
            s.pending.put(pending.id(), pending);
        }
        for (int i = in.i32(); i > 0; i--) {
            final SettlementBatch batch = SettlementBatch.readFrom(in, profiles(s));
            s.settlements.put(batch.id(), batch);
        }
        expectSection(in, 9);
        if (version >= 2) {
            expectSection(in, 10);
            for (int i = in.i32(); i > 0; i--) {
                final int o = in.i32();
                if (o < 0 || o >= s.operatorCount) {
                    throw new IllegalStateException("state corrupt: login state of operator " + o + " of " + s.operatorCount);
                }
                s.loginFailures[o] = in.i32();
                s.operatorFlags[o] = in.i8();
            }
        }
        if (version >= 3) {
            expectSection(in, 11);
            s.audit.readFrom(in, s.operatorCount);
            expectSection(in, 12);
            s.review.readDecisionsFrom(in);
        }
        if (version >= 4) {
            expectSection(in, 13);
            for (int i = in.i32(); i > 0; i--) {
                SettlementBatch.readFrozenFrom(in, s.settlements);
            }
        }
        if (version >= 5) {
            expectSection(in, 14);
            final int held = in.i32();
            if (held < 0 || held > LedgerState.MAX_HELD_DAYS) {
                throw new IllegalStateException("state corrupt: " + held + " days held by reconciliation");
            }
            for (int i = 0; i < held; i++) {
                final int day = in.i32();
                if (i > 0 && day <= s.reconciliationHeld.getInt(i - 1)) {
                    throw new IllegalStateException("state corrupt: days held by reconciliation not ascending at " + day);
                }
                s.reconciliationHeld.addInt(day);
            }
        }
        if (version >= 6) {
            expectSection(in, 15);
            for (int i = in.i32(); i > 0; i--) {
                final int m = in.i32();
                if (m < 0 || m >= s.merchantCount) {
                    throw new IllegalStateException("state corrupt: recharge terms of merchant " + m + " of " + s.merchantCount);
                }
                s.merchants[m].readRechargeTermsFrom(in);
            }
            for (int i = in.i32(); i > 0; i--) {
                SettlementBatch.readCollectionsFrom(in, s.settlements);
            }
            s.deployerCount = in.i32();
            if (s.deployerCount < 0 || s.deployerCount > Deployer.MAX_DEPLOYERS) {
                throw new IllegalStateException("state corrupt: " + s.deployerCount + " deployers");
            }
            for (int d = 0; d < s.deployerCount; d++) {
                s.deployers[d] = Deployer.readFrom(d, in);
                s.deployerIndex.put(s.deployers[d].profile().code(), d);
            }
            s.linkTerminalsToDeployers();
        }
        long owedToDeployers = 0;
        for (int d = 0; d < s.deployerCount; d++) {
            owedToDeployers += s.deployers[d].payable();
        }
        s.books.unassignedShares(s.books.balance(Account.DEPLOYER_PAYABLE) - owedToDeployers);
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
