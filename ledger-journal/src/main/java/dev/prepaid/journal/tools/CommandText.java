package dev.prepaid.journal.tools;

import dev.prepaid.card.Pan;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Ascii;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.RecordCodec;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.DirectBuffer;

/**
 * A journaled command as one line of text for an operator. Card numbers show only their first 6 and last 4
 * digits; PIN check values and password hashes are never written (not even their length); free text (notes,
 * names, outcome details) has any run of 13-19 digits masked the same way, in case someone typed a card number.
 */
final class CommandText {
    /** Admin command fields holding a whole card number. */
    static final List<String> CARD_FIELDS = List.of("pan", "firstPan", "oldPan", "newPan", "fromPan", "toPan");
    private static final Set<String> SECRET_FIELDS = Set.of("passwordHash", "pinCheck");
    private static final Set<String> PERSONAL_FIELDS = Set.of("buyerIdNumber", "holderIdNumber", "holderPhone");
    /** Identifiers that may legitimately be long digit strings (a 15-digit merchant id is not a card). */
    private static final Set<String> IDENTIFIER_FIELDS = Set.of("merchantId", "terminalId", "merchantScope", "bin",
            "institutionId", "cnapsCode", "serialNumber", "keyReference", "deployerCode", "issuerCode", "code", "operatorId");
    /** Amounts in fen shown in yuan (fields whose name ends in "Fen" stay in fen, as their name says). */
    private static final Set<String> AMOUNT_FIELDS = Set.of("amount", "faceValue", "balanceCap", "initialBalance", "deposit",
            "issuanceFee", "replacementFee", "lostReportFee", "singleLimit", "dailyAmountLimit", "monthlyAmountLimit");
    private static final Set<String> KIND_MASK_FIELDS = Set.of("permittedKinds", "pinRequiredKinds", "kinds");
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();

    private final DateTimeFormatter timestampFormat;
    private final PosRequest pos = new PosRequest();
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText;
    private String cachedOffsetText;

    CommandText(final ZoneId zone) {
        this.timestampFormat = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(zone);
    }

    /** ISO-8601 with milliseconds and the zone's offset, e.g. {@code 2026-01-05T10:00:00.007+08:00}. */
    String timestamp(final long millis) {
        final long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            final String text = timestampFormat.format(Instant.ofEpochMilli(second * 1000));
            cachedSecond = second;
            cachedSecondText = text.substring(0, 19);
            cachedOffsetText = text.substring(23);
        }
        final int ms = Math.floorMod(millis, 1000);
        return cachedSecondText + '.' + (char) ('0' + ms / 100) + (char) ('0' + ms / 10 % 10) + (char) ('0' + ms % 10)
                + cachedOffsetText;
    }

    /** Appends {@code <sequence> <timestamp> <type> <description>}. */
    void appendLine(final StringBuilder out, final long sequence, final long timestampMillis, final DirectBuffer buffer,
            final int offset, final int length) {
        out.append(sequence).append(' ').append(timestamp(timestampMillis)).append(' ');
        appendCommand(out, buffer, offset, length);
    }

    /** Appends the command's type and description. */
    void appendCommand(final StringBuilder out, final DirectBuffer buffer, final int offset, final int length) {
        if (length < CommandHeader.LENGTH) {
            out.append("UNKNOWN (").append(length).append(" bytes, shorter than a command header)");
            return;
        }
        final int code = CommandHeader.type(buffer, offset);
        if (code == PosRequest.TYPE) {
            if (length != PosRequest.LENGTH) {
                out.append("POS (").append(length).append(" bytes; a POS command has ").append(PosRequest.LENGTH).append(')');
                return;
            }
            appendPos(out, pos.wrap(buffer, offset));
            return;
        }
        final CommandType type = CommandType.ofCode(code);
        if (type == null) {
            out.append("UNKNOWN (type ").append(code).append(", ").append(length).append(" bytes)");
            return;
        }
        out.append(type.name());
        final Envelope envelope;
        final AdminCommand command;
        try {
            envelope = RecordCodec.decodeEnvelope(buffer, offset, length);
            command = RecordCodec.decodeCommand(buffer, offset, length);
        } catch (final RuntimeException e) {
            out.append(" (cannot decode: ").append(scrub(String.valueOf(e.getMessage()))).append(')');
            return;
        }
        out.append(" by ").append(quoted(scrub(envelope.operatorId()))).append(" request=").append(envelope.requestId());
        if (!envelope.source().isEmpty()) {
            out.append(" source=").append(quoted(scrub(envelope.source())));
        }
        if (!envelope.note().isEmpty()) {
            out.append(" note=").append(quoted(scrub(envelope.note())));
        }
        out.append(':');
        appendFields(out, command);
    }

    /** Name of the command's type for counting: the POS kind for POS commands. */
    static String typeName(final int code, final int posKind) {
        if (code == PosRequest.TYPE) {
            final PosKind kind = PosKind.ofCode(posKind);
            return "POS " + (kind == null ? "KIND(" + posKind + ")" : kind.name());
        }
        final CommandType type = CommandType.ofCode(code);
        return type == null ? "UNKNOWN(" + code + ")" : type.name();
    }

    private static void appendPos(final StringBuilder out, final PosRequest pos) {
        final PosKind kind = pos.kind();
        out.append("POS ").append(kind == null ? "KIND(" + pos.kindCode() + ")" : kind.name());
        if (pos.terminalId() != 0) {
            out.append(" terminal=").append(quoted(printable(Ascii.unpack(pos.terminalId()))));
        }
        if (pos.merchantIdHigh() != 0) {
            out.append(" merchant=").append(quoted(printable(Ascii.unpackMerchant(pos.merchantIdHigh(), pos.merchantIdLow()))));
        }
        if (pos.panLength() != 0) {
            out.append(" card=").append(maskedPan(pos.panLength(), pos.panBody(), pos.panCheckDigit()));
        }
        if (pos.amount() != 0) {
            out.append(" amount=").append(yuan(pos.amount()));
        }
        if (pos.currency() != 156) {
            out.append(" currency=").append(pos.currency());
        }
        if (pos.batch() != 0 || pos.stan() != 0) {
            out.append(" batch=");
            padded(out, pos.batch(), 6);
            out.append(" stan=");
            padded(out, pos.stan(), 6);
        }
        if (pos.pinEntered()) {
            out.append(" pin=entered");
        }
        if (pos.cardPresent()) {
            out.append(" card-present");
        }
        if (pos.entryMode() != 0) {
            out.append(" entry=");
            padded(out, pos.entryMode(), 3);
        }
        if (pos.conditionCode() != 0) {
            out.append(" condition=");
            padded(out, pos.conditionCode(), 2);
        }
        appendOriginal(out, pos);
        if (pos.expiry() != 0) {
            out.append(" expiry=");
            padded(out, pos.expiry(), 4);
        }
        if (pos.reversalReason() != 0) {
            out.append(" reversal-reason=").append(printable(
                    String.valueOf((char) (pos.reversalReason() >>> 8)) + (char) (pos.reversalReason() & 0xFF)));
        }
        if (pos.uploadCount() != 0) {
            out.append(" uploads=").append(pos.uploadCount());
        }
        if (kind == PosKind.BATCH_SETTLEMENT || pos.settleDebitCount() != 0 || pos.settleCreditCount() != 0) {
            out.append(" debits=").append(pos.settleDebitCount()).append('/').append(yuan(pos.settleDebitAmount()))
                    .append(" credits=").append(pos.settleCreditCount()).append('/').append(yuan(pos.settleCreditAmount()));
        }
        if (pos.networkCode() != 0) {
            out.append(" network=");
            padded(out, pos.networkCode(), 3);
        }
    }

    private static void appendOriginal(final StringBuilder out, final PosRequest pos) {
        final PosKind originalKind = pos.originalKind();
        if (originalKind != null) {
            out.append(" original=").append(originalKind.name());
        }
        if (pos.originalBatch() != 0 || pos.originalStan() != 0) {
            out.append(" original-batch=");
            padded(out, pos.originalBatch(), 6);
            out.append(" original-stan=");
            padded(out, pos.originalStan(), 6);
        }
        if (pos.originalDate() != 0) {
            out.append(" original-date=");
            padded(out, pos.originalDate(), 4);
        }
        if (pos.originalRrn() != 0) {
            out.append(" original-rrn=");
            padded(out, pos.originalRrn(), 12);
        }
        if (pos.originalAuthCode() >= 0) {
            out.append(" original-auth=");
            padded(out, pos.originalAuthCode(), 6);
        }
    }

    private static void appendFields(final StringBuilder out, final AdminCommand command) {
        final boolean cardTarget = command instanceof AdminCommand.RequestAdjustment adjustment
                && adjustment.target() == AdminCommand.AdjustmentTarget.CARD;
        for (final RecordComponent component : components(command.getClass())) {
            final String name = component.getName();
            final Object value = value(command, component);
            if (value instanceof String text && text.isEmpty()) {
                continue;
            }
            out.append(' ').append(name).append('=');
            if (SECRET_FIELDS.contains(name)) {
                out.append("<hidden>");
            } else if (value instanceof String text) {
                if (CARD_FIELDS.contains(name) || (cardTarget && name.equals("targetId"))) {
                    out.append(quoted(Pan.mask(text)));
                } else if (PERSONAL_FIELDS.contains(name)) {
                    out.append(quoted(maskAllButLast4(text)));
                } else if (IDENTIFIER_FIELDS.contains(name) || name.equals("targetId")) {
                    out.append(quoted(text));
                } else {
                    out.append(quoted(scrub(text)));
                }
            } else if (value instanceof Long amount && AMOUNT_FIELDS.contains(name)) {
                out.append(yuan(amount));
            } else if (value instanceof Integer mask && KIND_MASK_FIELDS.contains(name)) {
                out.append(kinds(mask));
            } else {
                out.append(value);
            }
        }
    }

    /** Appends {@code => <response code> <reason>} and what the ledger answered, money in yuan. */
    static void appendOutcome(final StringBuilder out, final int typeCode, final Outcome outcome) {
        out.append(" => ").append(outcome.reason.responseCode.code).append(' ').append(outcome.reason.name());
        if (outcome.duplicate) {
            out.append(" repeat");
        }
        if (outcome.rrn != 0) {
            out.append(" rrn=");
            padded(out, outcome.rrn, 12);
        }
        if (outcome.authCode >= 0) {
            out.append(" auth=");
            padded(out, outcome.authCode, 6);
        }
        if (outcome.cardAmount != 0) {
            out.append(" card-amount=").append(yuan(outcome.cardAmount));
        }
        if (outcome.discount != 0) {
            out.append(" discount=").append(yuan(outcome.discount));
        }
        if (outcome.fee != 0) {
            out.append(" fee=").append(yuan(outcome.fee));
        }
        if (outcome.points != 0) {
            out.append(" points=").append(outcome.points);
        }
        if (outcome.availableBalance >= 0) {
            out.append(" available=").append(yuan(outcome.availableBalance));
        }
        if (outcome.ledgerBalance >= 0 && outcome.ledgerBalance != outcome.availableBalance) {
            out.append(" ledger-balance=").append(yuan(outcome.ledgerBalance));
        }
        if (outcome.riskFlags != 0) {
            out.append(" risk=").append(riskFlags(outcome.riskFlags));
        }
        if (outcome.batch != 0) {
            out.append(" batch=");
            padded(out, outcome.batch, 6);
        }
        if (outcome.settlementFlag != 0) {
            out.append(outcome.settlementFlag == 1 ? " balanced" : " unbalanced");
        }
        appendValues(out, CommandType.ofCode(typeCode), outcome);
        if (outcome.detail != null) {
            out.append(" (").append(scrub(outcome.detail)).append(')');
        }
    }

    /** value1/value2 of admin outcomes; where value1 is a card key it is shown as a masked card number. */
    private static void appendValues(final StringBuilder out, final CommandType type, final Outcome outcome) {
        if (type == CommandType.GENERATE_CARDS || type == CommandType.SELL_CARDS || type == CommandType.RECHARGE_CARDS
                || type == CommandType.REPLACE_CARD) {
            if (outcome.value1 != 0) {
                out.append(type == CommandType.REPLACE_CARD ? " new-card=" : " first-card=").append(maskedKey(outcome.value1));
            }
            if (outcome.value2 != 0) {
                out.append(" cards=").append(outcome.value2);
            }
            return;
        }
        if (outcome.value1 != 0) {
            out.append(" value1=").append(outcome.value1);
        }
        if (outcome.value2 != 0) {
            out.append(" value2=").append(outcome.value2);
        }
    }

    private static String maskedKey(final long key) {
        final int length = Pan.lengthOfKey(key);
        final long body = Pan.bodyOfKey(key);
        return Pan.isWellFormed(length, body) ? Pan.masked(key) : "<not a card key>";
    }

    /** A card number as carried by a POS command (check digit as sent), masked. */
    static String maskedPan(final int length, final long body, final int checkDigit) {
        if (length < Pan.MIN_LENGTH || length > Pan.MAX_LENGTH || !Pan.isWellFormed(length, body)) {
            return "<malformed, length " + length + ">";
        }
        final StringBuilder digits = new StringBuilder(length);
        final String bodyDigits = Long.toString(body);
        for (int i = bodyDigits.length(); i < length - 1; i++) {
            digits.append('0');
        }
        digits.append(bodyDigits).append(checkDigit >= 0 && checkDigit <= 9 ? (char) ('0' + checkDigit) : '?');
        return Pan.mask(digits.toString());
    }

    /**
     * Masks every run of 13-19 digits (single spaces or dashes between digits allowed) as a card number: first 6
     * and last 4 digits kept.
     */
    static String scrub(final String text) {
        StringBuilder out = null;
        int i = 0;
        final int n = text.length();
        while (i < n) {
            if (!isDigit(text.charAt(i)) || (i > 0 && isDigit(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int end = i;
            int digits = 0;
            int last = i;
            while (end < n) {
                final char c = text.charAt(end);
                if (isDigit(c)) {
                    digits++;
                    last = end;
                    end++;
                } else if ((c == ' ' || c == '-') && end + 1 < n && isDigit(text.charAt(end + 1)) && digits > 0) {
                    end++;
                } else {
                    break;
                }
            }
            if (digits >= Pan.MIN_LENGTH && digits <= Pan.MAX_LENGTH) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                int seen = 0;
                for (int j = i; j <= last; j++) {
                    if (isDigit(text.charAt(j))) {
                        seen++;
                        if (seen > 6 && seen <= digits - 4) {
                            out.setCharAt(j, '*');
                        }
                    }
                }
            }
            i = last + 1;
        }
        return out == null ? text : out.toString();
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    private static String maskAllButLast4(final String text) {
        return text.length() <= 4 ? "*".repeat(text.length()) : "*".repeat(text.length() - 4) + text.substring(text.length() - 4);
    }

    /** Fen as yuan with two decimals: 12345 → 123.45, -5 → -0.05. */
    static String yuan(final long fen) {
        if (fen == Long.MIN_VALUE) {
            return BigDecimal.valueOf(fen, 2).toPlainString();
        }
        final long abs = Math.abs(fen);
        final long cents = abs % 100;
        return (fen < 0 ? "-" : "") + abs / 100 + (cents < 10 ? ".0" : ".") + cents;
    }

    private static void padded(final StringBuilder out, final long value, final int width) {
        final String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }

    private static String kinds(final int mask) {
        final StringBuilder out = new StringBuilder();
        for (final PosKind kind : PosKind.values()) {
            if ((mask & kind.bit()) != 0) {
                out.append(out.length() == 0 ? "" : "|").append(kind.name());
            }
        }
        return out.length() == 0 ? "none" : out.toString();
    }

    private static String riskFlags(final int flags) {
        final StringBuilder out = new StringBuilder();
        if ((flags & Outcome.FLAG_LARGE_AMOUNT) != 0) {
            out.append("LARGE_AMOUNT");
        }
        if ((flags & Outcome.FLAG_MANY_DECLINES) != 0) {
            out.append(out.length() == 0 ? "" : "|").append("MANY_DECLINES");
        }
        if ((flags & Outcome.FLAG_NEAR_REAL_NAME_THRESHOLD) != 0) {
            out.append(out.length() == 0 ? "" : "|").append("NEAR_REAL_NAME_THRESHOLD");
        }
        if ((flags & Outcome.FLAG_BOOKS_OUT_OF_BALANCE) != 0) {
            out.append(out.length() == 0 ? "" : "|").append("BOOKS_OUT_OF_BALANCE");
        }
        return out.length() == 0 ? Integer.toString(flags) : out.toString();
    }

    /** Printable ASCII as is; anything else (damage that passed the checksum, or a stray byte) as \xNN. */
    private static String printable(final String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                if (out == null) {
                    out = new StringBuilder(text.substring(0, i));
                }
                out.append(String.format("\\x%02x", (int) c & 0xFF));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Text as is when it is one plain word, else in double quotes with quotes and backslashes escaped. */
    static String quoted(final String text) {
        boolean plain = !text.isEmpty();
        for (int i = 0; i < text.length() && plain; i++) {
            final char c = text.charAt(i);
            plain = c > ' ' && c != '"' && c != '\\' && c != '=' && c < 0x7F;
        }
        if (plain) {
            return text;
        }
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** The value of a record component by name, or null when the record has none. */
    static Object component(final AdminCommand command, final String name) {
        for (final RecordComponent component : components(command.getClass())) {
            if (component.getName().equals(name)) {
                return value(command, component);
            }
        }
        return null;
    }

    private static RecordComponent[] components(final Class<?> type) {
        return COMPONENTS.computeIfAbsent(type, Class::getRecordComponents);
    }

    private static Object value(final AdminCommand command, final RecordComponent component) {
        try {
            return component.getAccessor().invoke(command);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
