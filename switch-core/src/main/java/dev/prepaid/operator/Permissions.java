package dev.prepaid.operator;

import dev.prepaid.command.CommandType;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which role may issue which command, and which role may read what through the admin endpoint: the one table of
 * authorisation (printed in the README). SYSTEM may issue everything; AUDITOR and MERCHANT_USER only read. An
 * operator with a merchant scope (every MERCHANT_USER) is further limited to that merchant, by the ledger for
 * commands and by the endpoint for reads.
 */
public final class Permissions {
    /** What the admin endpoint shows; each read is bounded (one item or a page). */
    public enum View {
        /** A card's status, balances and counters (holder identity masked). */
        CARDS,
        /** Merchants with their unsettled totals; a scoped operator sees only its merchant. */
        MERCHANTS,
        /** Terminals with sign-on state and open batch; a scoped operator sees only its merchant's. */
        TERMINALS,
        /** Operators, their roles and locks (never a password hash). */
        OPERATORS,
        /** Requests waiting for a second operator (maker-checker) and settlement batches. */
        APPROVALS,
        /** The switch's state: business date, counts, journal, ring, memory. */
        STATUS,
        /** The audit trail: who decided what, approved or refused and why; a scoped operator sees only its merchant's. */
        AUDIT,
        /** The risk review queue: flagged transactions and sales and their decisions. */
        RISK,
        /** A business day's clearing figures; a scoped operator sees only its merchant's (and its terminals'). */
        CLEARING,
        /** The reconciliation of cleared days and whether settlement is held. */
        RECONCILIATION,
        /**
         * Not a read: clearing a past day again, or reconciling it again, on demand (the switch's work; what it finds
         * is journaled as RECORD_RECONCILIATION). Unscoped operators only.
         */
        CLEARING_RUN
    }

    private static final Map<CommandType, Set<Role>> ALLOWED = new EnumMap<>(CommandType.class);
    private static final Map<View, Set<Role>> VIEWS = new EnumMap<>(View.class);

    static {
        final Set<Role> admin = EnumSet.of(Role.ADMINISTRATOR);
        final Set<Role> counter = EnumSet.of(Role.CLERK, Role.SUPERVISOR);
        final Set<Role> supervisor = EnumSet.of(Role.SUPERVISOR);
        final Set<Role> finance = EnumSet.of(Role.FINANCE);
        for (final CommandType type : new CommandType[] {
                CommandType.UPSERT_ISSUER, CommandType.UPSERT_CARD_TYPE, CommandType.UPSERT_BIN_RANGE,
                CommandType.UPSERT_MERCHANT, CommandType.UPSERT_TERMINAL, CommandType.UPSERT_OPERATOR,
                CommandType.PUT_FEE_RULE, CommandType.PUT_DISCOUNT_RULE, CommandType.PUT_POINTS_RULE,
                CommandType.REMOVE_RULE, CommandType.SET_PARAMETER, CommandType.SET_CALENDAR_DAY,
                CommandType.GENERATE_CARDS}) {
            ALLOWED.put(type, admin);
        }
        for (final CommandType type : new CommandType[] {
                CommandType.SELL_CARDS, CommandType.RECHARGE_CARDS, CommandType.FREEZE_CARD, CommandType.UNFREEZE_CARD,
                CommandType.REPORT_LOST, CommandType.REPLACE_CARD, CommandType.RETURN_CARD,
                CommandType.CANCEL_ISSUANCE, CommandType.SET_PIN, CommandType.UNLOCK_PIN, CommandType.EXTEND_EXPIRY,
                CommandType.REDEEM_POINTS}) {
            ALLOWED.put(type, counter);
        }
        ALLOWED.put(CommandType.BLACKLIST_CARD, supervisor);
        ALLOWED.put(CommandType.UNBLACKLIST_CARD, supervisor);
        ALLOWED.put(CommandType.SET_MERCHANT_REVIEW, EnumSet.of(Role.SUPERVISOR, Role.FINANCE, Role.ADMINISTRATOR));
        ALLOWED.put(CommandType.REQUEST_ADJUSTMENT, EnumSet.of(Role.SUPERVISOR, Role.FINANCE));
        ALLOWED.put(CommandType.REQUEST_BALANCE_TRANSFER, EnumSet.of(Role.CLERK, Role.SUPERVISOR));
        // Who may approve a given request is decided per request (adjustments: supervisor; settlements: finance).
        ALLOWED.put(CommandType.APPROVE, EnumSet.of(Role.SUPERVISOR, Role.FINANCE));
        ALLOWED.put(CommandType.REJECT, EnumSet.of(Role.SUPERVISOR, Role.FINANCE, Role.CLERK));
        ALLOWED.put(CommandType.PREPARE_SETTLEMENT, finance);
        ALLOWED.put(CommandType.RECORD_PAYOUT_RESULT, finance);
        ALLOWED.put(CommandType.RECORD_PAYOUT_FILES, finance);
        // The switch records every reconciliation; finance may only accept a failed day (the ledger checks that).
        ALLOWED.put(CommandType.RECORD_RECONCILIATION, finance);
        ALLOWED.put(CommandType.RECORD_COLLECTION_RESULT, finance);
        ALLOWED.put(CommandType.SET_RECHARGE_SETTLEMENT, admin);
        ALLOWED.put(CommandType.UPSERT_DEPLOYER, admin);
        ALLOWED.put(CommandType.CUTOVER, EnumSet.noneOf(Role.class));
        ALLOWED.put(CommandType.EXPIRE_HOLDS, EnumSet.noneOf(Role.class));
        ALLOWED.put(CommandType.RECORD_LOGIN_FAILURE, EnumSet.noneOf(Role.class));
        ALLOWED.put(CommandType.RECORD_LOGIN, EnumSet.noneOf(Role.class));
        // Everyone changes their own password (the ledger checks it is their own).
        ALLOWED.put(CommandType.CHANGE_PASSWORD, EnumSet.complementOf(EnumSet.of(Role.SYSTEM)));
        ALLOWED.put(CommandType.RESET_PASSWORD, admin);
        ALLOWED.put(CommandType.LOCK_OPERATOR, admin);
        ALLOWED.put(CommandType.UNLOCK_OPERATOR, admin);
        // Risk review: supervisors (who also freeze and blacklist cards) and finance (who hold merchants' payouts).
        ALLOWED.put(CommandType.CONFIRM_FLAG, EnumSet.of(Role.SUPERVISOR, Role.FINANCE));
        ALLOWED.put(CommandType.CLEAR_FLAG, EnumSet.of(Role.SUPERVISOR, Role.FINANCE));
        ALLOWED.put(CommandType.OPEN_AUDIT_TRAIL, EnumSet.noneOf(Role.class));

        final Set<Role> everyone = EnumSet.complementOf(EnumSet.of(Role.SYSTEM));
        final Set<Role> office = EnumSet.complementOf(EnumSet.of(Role.SYSTEM, Role.MERCHANT_USER));
        // Cards are sold at the operator's counters, not at a merchant: a merchant user has no card to see.
        VIEWS.put(View.CARDS, office);
        VIEWS.put(View.MERCHANTS, everyone);
        VIEWS.put(View.TERMINALS, everyone);
        VIEWS.put(View.OPERATORS, EnumSet.of(Role.ADMINISTRATOR, Role.AUDITOR));
        VIEWS.put(View.APPROVALS, office);
        VIEWS.put(View.STATUS, everyone);
        final Set<Role> oversight = EnumSet.of(Role.ADMINISTRATOR, Role.AUDITOR, Role.SUPERVISOR, Role.FINANCE);
        VIEWS.put(View.AUDIT, oversight);
        VIEWS.put(View.RISK, oversight);
        // A merchant's own users read its figures (the endpoint limits them to their merchant), clerks do not.
        VIEWS.put(View.CLEARING, EnumSet.of(Role.ADMINISTRATOR, Role.AUDITOR, Role.SUPERVISOR, Role.FINANCE,
                Role.MERCHANT_USER));
        VIEWS.put(View.RECONCILIATION, oversight);
        VIEWS.put(View.CLEARING_RUN, EnumSet.of(Role.ADMINISTRATOR, Role.FINANCE));
    }

    private Permissions() {
    }

    public static boolean allows(final Role role, final CommandType type) {
        if (role == Role.SYSTEM) {
            return true;
        }
        final Set<Role> roles = ALLOWED.get(type);
        return roles != null && roles.contains(role);
    }

    public static boolean allows(final Role role, final View view) {
        return role == Role.SYSTEM || VIEWS.get(view).contains(role);
    }

    /** The roles that may read a view (for help texts and docs). */
    public static Set<Role> rolesFor(final View view) {
        final Set<Role> roles = EnumSet.of(Role.SYSTEM);
        roles.addAll(VIEWS.get(view));
        return roles;
    }

    /** The roles that may issue a command (for help texts and docs). */
    public static Set<Role> rolesFor(final CommandType type) {
        final Set<Role> roles = EnumSet.of(Role.SYSTEM);
        final Set<Role> allowed = ALLOWED.get(type);
        if (allowed != null) {
            roles.addAll(allowed);
        }
        return roles;
    }
}
