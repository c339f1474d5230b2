package dev.prepaid.reports;

/** The reports there are, by the key a request names them with (docs/reports.md). */
public enum ReportKind {
    MERCHANT_SUMMARY("merchant-summary", "Merchant summary", true),
    MERCHANT_DAILY("merchant-daily", "Merchant detail by day", true),
    MERCHANT_MONTHLY("merchant-monthly", "Merchant detail by month", true),
    TERMINAL_SUMMARY("terminal-summary", "Terminal summary", true),
    TERMINAL_DAILY("terminal-daily", "Terminal detail by day", true),
    TRANSACTION_TYPES("transaction-types", "Counts and amounts by transaction type", true),
    SUCCESS_RATES("success-rates", "Success and failure rates by merchant", true),
    DECLINE_REASONS("decline-reasons", "Declines by reason", true),
    FEES("fees", "Fee income by merchant", true),
    DEPLOYER_SHARES("deployer-shares", "Deployer shares", true),
    POINTS("points", "Discounts and points by merchant", true),
    CARD_ISSUANCE("card-issuance", "Card issuance by day", false),
    CARD_ISSUANCE_MONTHLY("card-issuance-monthly", "Card issuance by month", false);

    private final String key;
    private final String title;
    private final boolean perMerchant;

    ReportKind(final String key, final String title, final boolean perMerchant) {
        this.key = key;
        this.title = title;
        this.perMerchant = perMerchant;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    /**
     * Whether the report counts merchants' business (and so takes a merchant or terminal filter, and a merchant's own
     * user may read it); card issuance is the whole switch's, per card type.
     */
    public boolean perMerchant() {
        return perMerchant;
    }

    /** The kind a request names; else a {@link ReportException} on {@code kind} listing the kinds. */
    public static ReportKind of(final String key) {
        for (final ReportKind kind : values()) {
            if (kind.key.equals(key)) {
                return kind;
            }
        }
        throw new ReportException("kind", "no report '" + key + "'; the reports are " + keys());
    }

    public static String keys() {
        final StringBuilder all = new StringBuilder();
        for (final ReportKind kind : values()) {
            all.append(all.length() == 0 ? "" : ", ").append(kind.key);
        }
        return all.toString();
    }
}
