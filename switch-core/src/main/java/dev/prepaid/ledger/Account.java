package dev.prepaid.ledger;

/** The chart of accounts of domain-rules §3. */
public enum Account {
    CUSTODY(1001, Kind.ASSET, "custody (reserve) bank account"),
    OPERATOR_BANK(1002, Kind.ASSET, "operator's own bank account"),
    MERCHANT_RECEIVABLE(1122, Kind.ASSET, "merchant receivable"),
    CLEARING_IN_TRANSIT(1131, Kind.ASSET, "clearing in transit"),
    CARD_VALUE(2201, Kind.LIABILITY, "cardholder stored value"),
    CARD_HOLDS(2202, Kind.LIABILITY, "authorisation holds"),
    MERCHANT_PAYABLE(2203, Kind.LIABILITY, "merchant payable"),
    CARD_DEPOSITS(2204, Kind.LIABILITY, "card deposits"),
    DEPLOYER_PAYABLE(2205, Kind.LIABILITY, "deployer / agent share payable"),
    LOYALTY_POINTS(2206, Kind.LIABILITY, "loyalty points (deferred)"),
    FEE_INCOME(6001, Kind.INCOME, "fee income (merchant discount)"),
    CARD_FEE_INCOME(6002, Kind.INCOME, "card fee income"),
    COMMISSION_EXPENSE(6401, Kind.EXPENSE, "commission expense (deployer share)"),
    PROMOTION_EXPENSE(6402, Kind.EXPENSE, "promotion expense (discounts, points)");

    public final int code;
    public final Kind kind;
    public final String title;

    Account(final int code, final Kind kind, final String title) {
        this.code = code;
        this.kind = kind;
        this.title = title;
    }

    /** Assets and expenses grow with debits; liabilities and income with credits. */
    public boolean debitNormal() {
        return kind == Kind.ASSET || kind == Kind.EXPENSE;
    }

    public enum Kind {
        ASSET,
        LIABILITY,
        INCOME,
        EXPENSE
    }
}
