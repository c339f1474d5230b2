package dev.prepaid.ledger;

import dev.prepaid.card.Pan;
import dev.prepaid.command.Reason;
import dev.prepaid.ledger.AuditTrail.TargetKind;
import dev.prepaid.merchant.Terminal;
import dev.prepaid.operator.Operator;
import java.util.Arrays;

/**
 * A page of the audit trail, newest first, by filters — what {@code GET /v1/audit} reads. Runs on the ledger thread
 * (a query through the ring): bounded by the trail's size, it compares numbers and bytes and allocates only the
 * page. Filters left null or at their open value match every entry.
 */
public final class AuditQuery {
    /**
     * What to look for.
     *
     * @param operatorId the operator who issued the command ({@code system} for the switch's own)
     * @param target what the command names: a card number (exactly that card), a merchant, terminal, operator,
     *        issuer or parameter id, a BIN range as {@code bin/length}, or a number (pending request, review entry,
     *        card type, rule, settlement, date)
     * @param commandCode the command type code
     * @param fromMillis entries journaled at or after it (epoch ms; {@link Long#MIN_VALUE}: no bound)
     * @param toMillis entries journaled before it (epoch ms, exclusive; {@link Long#MAX_VALUE}: no bound)
     * @param fromDate entries decided on this business date or later (yyyymmdd, 0: no bound)
     * @param toDate entries decided on this business date or earlier (yyyymmdd, 0: no bound)
     * @param approved true: approved only, false: refused only, null: both
     * @param merchantScope an operator's merchant scope: only entries whose target is that merchant or one of its
     *        terminals ("" for everything)
     */
    public record Filter(String operatorId, String target, Integer commandCode, long fromMillis, long toMillis,
            int fromDate, int toDate, Boolean approved, String merchantScope) {
        public static Filter everything() {
            return new Filter(null, null, null, Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, null, "");
        }
    }

    /** The indices (in {@link AuditTrail}'s oldest-first order) of a page, newest first; {@code next} is the
     * {@code before} of the next page, -1 when this is the last. */
    public record Page(int[] indices, long next) {
    }

    private AuditQuery() {
    }

    /** Entries with a journal sequence below {@code before} matching {@code f}, at most {@code limit}, newest first. */
    public static Page page(final LedgerState s, final Filter f, final long before, final int limit) {
        final AuditTrail trail = s.audit;
        final Matcher matcher = new Matcher(s, f);
        final int[] found = new int[Math.max(0, limit)];
        int count = 0;
        int i = trail.countBefore(before) - 1;
        for (; i >= 0 && count < limit; i--) {
            if (matcher.matches(trail, i)) {
                found[count++] = i;
            }
        }
        long next = -1;
        if (count == limit && count > 0) {
            for (; i >= 0; i--) {
                if (matcher.matches(trail, i)) {
                    next = trail.sequence(found[count - 1]);
                    break;
                }
            }
        }
        return new Page(Arrays.copyOf(found, count), next);
    }

    /** A filter resolved once against the state: ids to indices, the target to what it can be. */
    private static final class Matcher {
        private final LedgerState s;
        private final Filter f;
        private final boolean anyOperator;
        private final int operator;
        private final long panKey;
        private final long number;
        private final boolean numeric;

        Matcher(final LedgerState s, final Filter f) {
            this.s = s;
            this.f = f;
            this.anyOperator = f.operatorId() == null;
            if (anyOperator) {
                operator = 0;
            } else if (Operator.SYSTEM_ID.equals(f.operatorId())) {
                operator = AuditTrail.SYSTEM;
            } else {
                final int index = s.operatorIndex(f.operatorId());
                operator = index >= 0 ? index : Integer.MIN_VALUE; // an unknown id matches no entry
            }
            final String target = f.target();
            panKey = target == null ? -1 : Pan.parseKey(target);
            numeric = target != null && !target.isEmpty() && target.length() <= 18 && target.chars().allMatch(Character::isDigit);
            number = numeric ? Long.parseLong(target) : 0;
        }

        boolean matches(final AuditTrail t, final int i) {
            if (!anyOperator && t.operator(i) != operator) {
                return false;
            }
            if (f.commandCode() != null && t.type(i) != f.commandCode()) {
                return false;
            }
            final long timestamp = t.timestamp(i);
            if (timestamp < f.fromMillis() || timestamp >= f.toMillis()) {
                return false;
            }
            final int date = t.businessDate(i);
            if (f.fromDate() != 0 && date < f.fromDate() || f.toDate() != 0 && date > f.toDate()) {
                return false;
            }
            if (f.approved() != null && (t.reason(i) == Reason.APPROVED.code) != f.approved()) {
                return false;
            }
            if (f.target() != null && !targetIs(t, i)) {
                return false;
            }
            return f.merchantScope().isEmpty() || inScope(t, i);
        }

        private boolean targetIs(final AuditTrail t, final int i) {
            final TargetKind kind = t.targetKind(i);
            if (kind == TargetKind.NONE) {
                return false;
            }
            if (kind == TargetKind.CARD) {
                return panKey >= 0 && t.targetKey(i) == panKey;
            }
            if (kind.numeric) {
                return numeric && t.targetKey(i) == number;
            }
            return t.targetTextIs(i, f.target());
        }

        private boolean inScope(final AuditTrail t, final int i) {
            final TargetKind kind = t.targetKind(i);
            if (kind == TargetKind.MERCHANT) {
                return t.targetTextIs(i, f.merchantScope());
            }
            if (kind == TargetKind.TERMINAL) {
                final Terminal terminal = s.terminal(t.targetText(i));
                return terminal != null && f.merchantScope().equals(terminal.profile().merchantId());
            }
            return false;
        }
    }
}
