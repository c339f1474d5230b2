package dev.prepaid.command;

/** Response codes of pos-iso8583 §7 (field 39). */
public enum ResponseCode {
    APPROVED("00", "approved"),
    INVALID_MERCHANT("03", "invalid merchant"),
    DO_NOT_HONOUR("05", "do not honour"),
    INVALID_TRANSACTION("12", "invalid transaction"),
    INVALID_AMOUNT("13", "invalid amount"),
    INVALID_CARD_NUMBER("14", "invalid card number"),
    CARD_NOT_ACTIVATED("21", "card not activated"),
    BAD_STATE("22", "suspected fault / bad state"),
    ORIGINAL_NOT_FOUND("25", "original not found"),
    FORMAT_ERROR("30", "format error"),
    SUSPECTED_FRAUD("34", "suspected fraud"),
    FUNCTION_NOT_SUPPORTED("40", "function not supported"),
    LOST_CARD("41", "lost card"),
    BLACKLISTED_CARD("43", "stolen / blacklisted card"),
    INSUFFICIENT_BALANCE("51", "insufficient balance"),
    EXPIRED_CARD("54", "expired card"),
    WRONG_PIN("55", "wrong PIN"),
    NOT_PERMITTED_TO_CARD("57", "transaction not permitted to card"),
    NOT_PERMITTED_ON_TERMINAL("58", "transaction not permitted on terminal"),
    EXCEEDS_AMOUNT_LIMIT("61", "exceeds amount limit"),
    RESTRICTED_CARD("62", "restricted card (frozen or locked)"),
    AMOUNT_DIFFERS("64", "amount differs from original"),
    EXCEEDS_FREQUENCY_LIMIT("65", "exceeds frequency limit"),
    PIN_TRIES_EXCEEDED("75", "PIN tries exceeded"),
    CUTOVER_IN_PROGRESS("90", "cut-over in progress"),
    DUPLICATE_TRANSMISSION("94", "duplicate transmission"),
    SYSTEM_MALFUNCTION("96", "system malfunction"),
    TERMINAL_NOT_REGISTERED("97", "terminal not registered"),
    PIN_BLOCK_FORMAT_ERROR("99", "PIN block format error"),
    MAC_ERROR("A0", "MAC error"),
    SECURITY_ERROR("A7", "security error");

    public final String code;
    public final String meaning;
    /** The two ASCII characters of field 39, ready to copy into a message. */
    public final byte first;
    public final byte second;

    ResponseCode(final String code, final String meaning) {
        this.code = code;
        this.meaning = meaning;
        this.first = (byte) code.charAt(0);
        this.second = (byte) code.charAt(1);
    }

    public boolean approved() {
        return this == APPROVED;
    }

    /** The response code with this two-character text, or null. */
    public static ResponseCode ofCode(final String code) {
        for (final ResponseCode rc : values()) {
            if (rc.code.equals(code)) {
                return rc;
            }
        }
        return null;
    }
}
