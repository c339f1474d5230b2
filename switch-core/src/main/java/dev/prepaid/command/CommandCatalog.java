package dev.prepaid.command;

import dev.prepaid.operator.Permissions;
import dev.prepaid.operator.Role;
import java.util.List;
import java.util.Set;

/**
 * Renders the binary layout of every command as Markdown ({@code docs/commands.md}), straight from the
 * command records, so the documentation of what the journal stores cannot drift from the code.
 */
public final class CommandCatalog {
    private CommandCatalog() {
    }

    public static String markdown() {
        final StringBuilder md = new StringBuilder(16_384);
        md.append("# Command layouts\n\n")
                .append("Generated from the code by `CommandCatalog.markdown()`; a test fails when this file is stale ")
                .append("(regenerate with `mvn -pl switch-core test -Dtest=CommandCatalogTest -Dcatalog.write=true`).\n\n")
                .append("Every command is what the journal stores: a 4-byte header — type code (u16) and layout version ")
                .append("(u16), little-endian — then its payload. The journal stage adds its own sequence, timestamp and ")
                .append("checksum around it.\n\n")
                .append("## POS request (type ").append(PosRequest.TYPE).append(", version ").append(PosRequest.VERSION)
                .append(", ").append(PosRequest.LENGTH).append(" bytes)\n\n")
                .append("The decoded, checked content of one ISO 8583 request (see `PosRequest`). Nothing secret: the PIN ")
                .append("arrives as the card's PIN check value; no track data, no PIN block, no keys.\n\n")
                .append("| offset | type | field |\n|---|---|---|\n");
        for (final String[] row : POS_LAYOUT) {
            md.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(row[2]).append(" |\n");
        }
        md.append("\nTransaction kinds (byte 4): ");
        boolean first = true;
        for (final PosKind kind : PosKind.values()) {
            md.append(first ? "" : ", ").append(kind.code).append(" ").append(kind.name());
            first = false;
        }
        md.append(".\n\n## Operator and system commands (version ").append(CommandType.ADMIN_VERSION).append(")\n\n")
                .append("Payload: the envelope, then the command's fields, in the order listed. Encodings: `u8 (0/1)` ")
                .append("boolean; `i32`, `i64` little-endian; `string` = u8 byte length + UTF-8 (at most ")
                .append(RecordCodec.MAX_STRING_BYTES).append(" bytes); enums by their stored name (`StoredName`: fixed, whatever the Java constant is called). ")
                .append("Fields are written in the order of their `@Field` numbers. Amounts are fen; dates yyyymmdd ")
                .append("(0: none or open).\n\n### Envelope\n\n");
        fields(md, RecordCodec.describe(Envelope.class));
        for (final CommandType type : CommandType.values()) {
            if (type.recordClass == null) {
                continue;
            }
            md.append("\n### ").append(type.code).append(" ").append(type.name()).append("\n\n");
            final Set<Role> roles = Permissions.rolesFor(type);
            md.append("Who: ").append(roles.size() == 1 ? "the switch itself (SYSTEM)" : roles.toString()).append("\n\n");
            final String what = WHAT.get(type);
            if (what != null) {
                md.append("What: ").append(what).append("\n\n");
            }
            @SuppressWarnings("unchecked")
            final Class<? extends Record> recordClass = (Class<? extends Record>) (Class<?>) type.recordClass;
            final List<String> layout = RecordCodec.describe(recordClass);
            if (layout.isEmpty()) {
                md.append("No fields.\n");
            } else {
                fields(md, layout);
            }
        }
        md.append("\n## Reasons\n\nWhy a command ended as it did: stored by its code (never reused), answered by the admin ")
                .append("endpoint as `error` and `reasonCode`, to a terminal as the response code.\n\n")
                .append("| code | reason | response code | meaning |\n|---|---|---|---|\n");
        for (final Reason reason : Reason.values()) {
            md.append("| ").append(reason.code).append(" | ").append(reason.name()).append(" | ")
                    .append(reason.responseCode.code).append(" | ").append(reason.description).append(" |\n");
        }
        return md.toString();
    }

    /** What a command does, for the commands whose rules are not told by their name (docs/ledger-rules.md has all). */
    private static final java.util.Map<CommandType, String> WHAT = new java.util.EnumMap<>(java.util.Map.of(
            CommandType.CONFIRM_FLAG, "confirms the review-queue entry `entryId` (its number among all entries ever "
                    + "flagged, from 1; `GET /v1/risk`) as fraud or suspicious, once; with `freezeCard` also freezes the "
                    + "card it names when that card is active (roles that may freeze cards only). Refused "
                    + "`REVIEW_ENTRY_NOT_FOUND` (110) for an id the queue does not keep, `REVIEW_ALREADY_DECIDED` (111) "
                    + "for an entry already confirmed or cleared (ledger-rules §3.1).",
            CommandType.CLEAR_FLAG, "clears the review-queue entry `entryId` as a false alarm, once; refused as "
                    + "CONFIRM_FLAG is (ledger-rules §3.1).",
            CommandType.OPEN_AUDIT_TRAIL, "from here on the ledger keeps its last `capacity` (1..10000000) decisions "
                    + "as the audit trail (`GET /v1/audit`); again with another capacity, the newest entries that fit. "
                    + "Journaled by the switch at start when `ledger.auditEntries` differs from what the ledger keeps "
                    + "(ledger-rules §3.2).",
            CommandType.PREPARE_SETTLEMENT, "computes today's merchant payouts into a settlement batch waiting for a "
                    + "second FINANCE operator (`APPROVE`); each line keeps its merchant's bank details as they are now, "
                    + "so a later merchant update does not redirect the batch (docs/payout-files.md).",
            CommandType.RECORD_PAYOUT_FILES, "records the payout files made of the approved settlement `settlementId`: "
                    + "file names (no directory), their SHA-256 (64 lower-case hex digits) and the creation time written "
                    + "into them (epoch milliseconds, whole seconds). Issued by the switch after an approval or an export "
                    + "for the operator who asked; the same files again change nothing (`value1` 0), other files for a "
                    + "batch that has some are refused `ILLEGAL_TRANSITION`, as is a batch not approved.",
            CommandType.SET_RECHARGE_SETTLEMENT, "with `separate`, the merchant's contract settles POS recharges apart: "
                    + "the cash of each recharge at its terminals (less its commission) is a receivable of its own (1122, "
                    + "recharge cash), collected by settlement batches on the merchant's cycle and never netted against "
                    + "its purchases; without, recharges are booked against its payable as before (ledger-rules §2.3, §4).",
            CommandType.REDEEM_POINTS, "redeems `points` of the card's loyalty points at the counter: their value "
                    + "(points × parameter pointValueFen) is credited to its stored value out of the points liability "
                    + "2206. Refused `POINTS_INSUFFICIENT` (142) beyond the card's points, `BALANCE_CAP_EXCEEDED` over its "
                    + "cap, `ILLEGAL_TRANSITION` for a card not active or expired (ledger-rules §3).",
            CommandType.UPSERT_DEPLOYER, "creates or replaces a terminal deployer (agent) by its `code` (1..15 printable "
                    + "characters, not a merchant's id): terminals whose `deployerCode` is that code owe their deployer "
                    + "share to it (2205, one sub-account per deployer) from then on, and settlement batches pay it to "
                    + "this account (a deployer line; `RECORD_PAYOUT_RESULT` names the code). Shares of terminals whose "
                    + "code names no deployer stay in the unassigned pool of 2205 (ledger-rules §4).",
            CommandType.RECORD_COLLECTION_RESULT, "books the bank's answer to the collection of recharge cash from "
                    + "`merchantId` in the approved settlement `settlementId`: success puts it in custody, failure makes it "
                    + "owed again. Refused `COLLECTION_NOT_IN_BATCH` (140) for a merchant the batch collects nothing from, "
                    + "`COLLECTION_ALREADY_RECORDED` (141) for a collection that has its result."));

    private static void fields(final StringBuilder md, final List<String> layout) {
        md.append("| field | encoding |\n|---|---|\n");
        for (final String line : layout) {
            final int space = line.indexOf(' ');
            md.append("| ").append(line, 0, space).append(" | ").append(line.substring(space + 1)).append(" |\n");
        }
    }

    private static final String[][] POS_LAYOUT = {
        {"0", "u16", "type = 1"}, {"2", "u16", "layout version = 1"},
        {"4", "u8", "kind (PosKind code)"}, {"5", "u8", "original kind (reversal, batch upload)"},
        {"6", "u8", "PAN length (0: no PAN)"}, {"7", "u8", "flags: 1 PIN entered, 2 card present (track 2), 4 card type checked"},
        {"8", "u16", "POS entry mode (field 22, as n3)"}, {"10", "u16", "POS condition code (field 25)"},
        {"12", "i64", "terminal id (field 41: 8 ASCII bytes, first character in the high byte)"},
        {"20", "i64", "merchant id characters 0-7 (field 42)"}, {"28", "i64", "merchant id characters 8-14 and a space"},
        {"36", "i64", "PAN body: the PAN without its check digit, as a number"},
        {"44", "i64", "amount (field 4, fen)"}, {"52", "i64", "PIN check value (when flag 1)"},
        {"60", "i32", "batch number (60.2)"}, {"64", "i32", "STAN (field 11)"},
        {"68", "i64", "original RRN (field 37)"}, {"76", "i32", "original authorisation code (field 38; -1 none)"},
        {"80", "i32", "original batch (61.1)"}, {"84", "i32", "original STAN (61.2)"},
        {"88", "u16", "original date MMDD (61.3)"}, {"90", "u16", "expiry YYMM (0: none)"},
        {"92", "u16", "reversal reason (two ASCII characters of field 39 in a 0400)"},
        {"94", "u16", "currency (field 49)"}, {"96", "i32", "batch-upload count (field 48)"},
        {"100", "i64", "settlement debit amount (field 48)"}, {"108", "i32", "settlement debit count"},
        {"112", "i32", "settlement credit count"}, {"116", "i64", "settlement credit amount"},
        {"124", "u8", "PAN check digit"}, {"125", "u8", "network management code (60.3) of a sign-on"},
        {"126", "u16", "card type whose keys checked the card data (flag 4; 0: BIN unknown to the I/O thread)"},
        {"128", "4 bytes", "reserved, zero"},
    };
}
