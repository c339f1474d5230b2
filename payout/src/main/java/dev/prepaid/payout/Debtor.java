package dev.prepaid.payout;

import java.util.regex.Pattern;

/**
 * Who pays every payout: the operator's custody account (1001, domain-rules §3), whose money the cardholders'
 * balances and the merchants' payables are. Its bank is named by BIC, by CNAPS code, or by both; the account
 * is in CNY ({@link PayoutBatch#CURRENCY}), the only currency the switch carries.
 *
 * @param name the account holder's name as the bank has it
 * @param account the custody account's number
 * @param bankName the name of the bank that keeps it
 * @param bic the bank's BIC (8 or 11 characters), or null when the bank is named by CNAPS code only
 * @param cnapsCode the bank's 12-digit CNAPS code, or null when the bank is named by BIC only
 */
public record Debtor(String name, String account, String bankName, String bic, String cnapsCode) {
    /** pain.001's {@code BICIdentifier}. */
    private static final Pattern BIC = Pattern.compile("[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?");

    public Debtor {
        PayoutText.require("debtor name", name, PayoutLine.MAX_NAME);
        PayoutText.requireAsciiId("debtor account", account, PayoutLine.MAX_ACCOUNT);
        PayoutText.require("debtor bank name", bankName, PayoutLine.MAX_NAME);
        if (bic == null && cnapsCode == null) {
            throw new IllegalArgumentException("the debtor's bank needs a BIC or a CNAPS code");
        }
        if (bic != null && !BIC.matcher(bic).matches()) {
            throw new IllegalArgumentException("debtor BIC '" + PayoutText.printable(bic)
                    + "' is not a BIC (4 letters bank, 2 letters country, 2 location, optional 3 branch)");
        }
        if (cnapsCode != null) {
            PayoutText.requireDigits("debtor CNAPS code", cnapsCode, PayoutLine.CNAPS_DIGITS);
        }
    }
}
