package dev.prepaid.operator;

import dev.prepaid.command.CommandType;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Which role may issue which command. SYSTEM may issue everything; AUDITOR and MERCHANT_USER only read. */
public final class Permissions {
    private static final Map<CommandType, Set<Role>> ALLOWED = new EnumMap<>(CommandType.class);

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
                CommandType.CANCEL_ISSUANCE, CommandType.SET_PIN, CommandType.UNLOCK_PIN, CommandType.EXTEND_EXPIRY}) {
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
        ALLOWED.put(CommandType.CUTOVER, EnumSet.noneOf(Role.class));
        ALLOWED.put(CommandType.EXPIRE_HOLDS, EnumSet.noneOf(Role.class));
        ALLOWED.put(CommandType.RECORD_LOGIN_FAILURE, EnumSet.noneOf(Role.class));
        ALLOWED.put(CommandType.RECORD_LOGIN, EnumSet.noneOf(Role.class));
        // Everyone changes their own password (the ledger checks it is their own).
        ALLOWED.put(CommandType.CHANGE_PASSWORD, EnumSet.complementOf(EnumSet.of(Role.SYSTEM)));
        ALLOWED.put(CommandType.RESET_PASSWORD, admin);
        ALLOWED.put(CommandType.LOCK_OPERATOR, admin);
        ALLOWED.put(CommandType.UNLOCK_OPERATOR, admin);
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
