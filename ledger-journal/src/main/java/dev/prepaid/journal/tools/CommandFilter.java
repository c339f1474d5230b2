package dev.prepaid.journal.tools;

import dev.prepaid.card.Pan;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Ascii;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.RecordCodec;
import org.agrona.DirectBuffer;

/**
 * Which journal records a tool looks at: a sequence or time window, command types and POS kinds, and a card,
 * terminal or merchant named by the command. POS commands are matched on the flyweight without allocating;
 * admin commands are decoded only when a card, terminal or merchant filter needs their fields.
 */
final class CommandFilter {
    /** Where a record lies against the window. */
    static final int BEFORE = -1;
    static final int INSIDE = 0;
    /** Past the window: nothing later can match (sequences rise, timestamps never fall), stop reading. */
    static final int AFTER = 1;

    private final ToolOptions options;
    private final PosRequest pos = new PosRequest();
    private final int cardLength;
    private final long cardBody;
    private final int cardCheckDigit;
    private final long merchantHigh;
    private final long merchantLow;

    CommandFilter(final ToolOptions options) {
        this.options = options;
        if (options.card != null) {
            final String card = options.card;
            cardLength = card.length();
            cardBody = Long.parseLong(card.substring(0, card.length() - 1));
            cardCheckDigit = card.charAt(card.length() - 1) - '0';
        } else {
            cardLength = -1;
            cardBody = -1;
            cardCheckDigit = -1;
        }
        merchantHigh = options.merchant == null ? 0 : Ascii.pack(options.merchant, 0, 8);
        merchantLow = options.merchant == null ? 0 : Ascii.pack(options.merchant, 8, 8);
    }

    int position(final long sequence, final long timestampMillis) {
        if (sequence > options.toSequence || timestampMillis >= options.toMillisExclusive) {
            return AFTER;
        }
        if (sequence < options.fromSequence || timestampMillis < options.fromMillis) {
            return BEFORE;
        }
        return INSIDE;
    }

    /** Whether a command inside the window passes the type and content filters. */
    boolean matches(final DirectBuffer buffer, final int offset, final int length) {
        if (length < CommandHeader.LENGTH) {
            return options.types == null && !contentFiltered();
        }
        final int type = CommandHeader.type(buffer, offset);
        final boolean isPos = type == PosRequest.TYPE && length == PosRequest.LENGTH;
        if (options.types != null) {
            final boolean typeSelected = type < options.types.length && options.types[type];
            final boolean kindSelected = isPos && options.posKinds[pos.wrap(buffer, offset).kindCode() & 31];
            if (!typeSelected && !kindSelected) {
                return false;
            }
        }
        if (!contentFiltered()) {
            return true;
        }
        return isPos ? posMatches(buffer, offset) : adminMatches(buffer, offset, length);
    }

    private boolean contentFiltered() {
        return options.card != null || options.terminalSet || options.merchant != null;
    }

    private boolean posMatches(final DirectBuffer buffer, final int offset) {
        pos.wrap(buffer, offset);
        if (options.card != null && (pos.panLength() != cardLength || pos.panBody() != cardBody
                || pos.panCheckDigit() != cardCheckDigit)) {
            return false;
        }
        if (options.terminalSet && pos.terminalId() != options.terminal) {
            return false;
        }
        return options.merchant == null || (pos.merchantIdHigh() == merchantHigh && pos.merchantIdLow() == merchantLow);
    }

    private boolean adminMatches(final DirectBuffer buffer, final int offset, final int length) {
        final AdminCommand command;
        try {
            command = RecordCodec.decodeCommand(buffer, offset, length);
        } catch (final RuntimeException undecodable) {
            return false;
        }
        if (options.card != null && !namesCard(command, options.card)) {
            return false;
        }
        if (options.terminalSet && !options.terminalIdText().equals(CommandText.component(command, "terminalId"))) {
            return false;
        }
        return options.merchant == null || namesMerchant(command, options.merchant);
    }

    /** Whether an admin command names the card, itself or within a run of consecutive cards it covers. */
    static boolean namesCard(final AdminCommand command, final String pan) {
        if (command instanceof AdminCommand.RequestAdjustment adjustment) {
            return adjustment.target() == AdminCommand.AdjustmentTarget.CARD && pan.equals(adjustment.targetId());
        }
        final Object count = CommandText.component(command, "count");
        final Object first = CommandText.component(command, "firstPan");
        if (first instanceof String firstPan && count instanceof Integer cards) {
            return inRun(firstPan, cards, pan);
        }
        for (final String field : CommandText.CARD_FIELDS) {
            if (pan.equals(CommandText.component(command, field))) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesMerchant(final AdminCommand command, final String merchant) {
        if (command instanceof AdminCommand.RequestAdjustment adjustment) {
            return adjustment.target() == AdminCommand.AdjustmentTarget.MERCHANT && merchant.equals(adjustment.targetId());
        }
        return merchant.equals(CommandText.component(command, "merchantId"))
                || merchant.equals(CommandText.component(command, "merchantScope"));
    }

    /**
     * Consecutive cards from {@code first}: same length, account numbers (the PAN without its check digit) in a run.
     * Every card of a run carries its computed check digit, so a number failing it is in no run: comparing account
     * numbers alone would show a mistyped number the run's card with the same account number, against the tool's
     * promise to match the number exactly as typed.
     */
    private static boolean inRun(final String first, final int count, final String pan) {
        if (first.length() != pan.length() || first.length() < 2 || !first.chars().allMatch(Character::isDigit)
                || Pan.parseKey(pan) < 0) {
            return false;
        }
        final long firstBody = Long.parseLong(first.substring(0, first.length() - 1));
        final long body = Long.parseLong(pan.substring(0, pan.length() - 1));
        return body >= firstBody && body - firstBody < Math.max(count, 1);
    }
}
