package dev.prepaid.payout;

import dev.prepaid.money.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The common shape of Chinese corporate online banks' batch payment files (domain-rules §6): a header with
 * batch number, date, payer account, count and total, then one row per payee. Every bank layout is this
 * content in its own dress ({@link BankFileLayout}); the header's count and total equal the rows in every
 * instance, checked here, so no layout can write a file whose totals disagree with its lines.
 *
 * @param header the batch and its totals
 * @param rows the payees, in the batch's order
 */
public record BankBatchFile(Header header, List<Row> rows) {
    /**
     * @param batchNumber the settlement batch's id
     * @param date the business date of the batch
     * @param payerAccount the custody account that pays
     * @param count how many rows follow
     * @param totalFen the sum of the rows' amounts
     */
    public record Header(long batchNumber, LocalDate date, String payerAccount, int count, long totalFen) {
        public Header {
            if (batchNumber <= 0) {
                throw new IllegalArgumentException("batch number must be positive, got " + batchNumber);
            }
            if (date == null) {
                throw new IllegalArgumentException("the batch date is missing");
            }
            PayoutText.requireAsciiId("payer account", payerAccount, PayoutLine.MAX_ACCOUNT);
        }
    }

    /**
     * @param account the payee's bank account
     * @param name the payee's name on that account
     * @param bank the payee's bank
     * @param cnapsCode that bank's CNAPS code
     * @param amountFen what is paid
     * @param purpose the remittance text (用途)
     * @param reference the end-to-end id, which the bank's result names (not in §6's list: without it a result
     *        could be matched to its payee only by account and amount, which two payees may share)
     */
    public record Row(String account, String name, String bank, String cnapsCode, long amountFen, String purpose,
            String reference) {
        public Row {
            PayoutText.requireAsciiId("account", account, PayoutLine.MAX_ACCOUNT);
            PayoutText.require("name", name, PayoutLine.MAX_NAME);
            PayoutText.require("bank", bank, PayoutLine.MAX_NAME);
            PayoutText.requireDigits("CNAPS code", cnapsCode, PayoutLine.CNAPS_DIGITS);
            if (amountFen <= 0 || amountFen > PayoutLine.MAX_AMOUNT_FEN) {
                throw new IllegalArgumentException("amount must be from 0.01 to " + Money.format(PayoutLine.MAX_AMOUNT_FEN)
                        + ", got " + amountFen + " fen");
            }
            PayoutText.require("purpose", purpose, PayoutLine.MAX_PURPOSE);
            PayoutText.requireAsciiId("reference", reference, 35);
        }
    }

    public BankBatchFile {
        if (header == null || rows == null || rows.isEmpty()) {
            throw new IllegalArgumentException("a bank batch file has a header and at least one row");
        }
        rows = List.copyOf(rows);
        long total = 0;
        for (final Row row : rows) {
            total = Math.addExact(total, row.amountFen());
        }
        if (header.count() != rows.size()) {
            throw new IllegalArgumentException("the header counts " + header.count() + " payees; there are "
                    + rows.size() + " rows");
        }
        if (header.totalFen() != total) {
            throw new IllegalArgumentException("the header totals " + Money.format(header.totalFen())
                    + "; the rows sum to " + Money.format(total));
        }
    }

    /** The batch's header and rows, the totals computed from its lines. */
    public static BankBatchFile of(final PayoutBatch batch) {
        final List<Row> rows = new ArrayList<>(batch.count());
        for (final PayoutLine line : batch.lines()) {
            rows.add(new Row(line.account(), line.payeeName(), line.bankName(), line.cnapsCode(), line.amountFen(),
                    line.purpose(), line.endToEndId()));
        }
        return new BankBatchFile(new Header(batch.batchId(), batch.businessDate(), batch.debtor().account(), rows.size(),
                batch.totalFen()), rows);
    }

    /**
     * The batch in {@code layout}: named {@code payout-<yyyymmdd>-<batch id>.<layout>.<extension>}, e.g.
     * {@code payout-20261124-7.neutral.csv}.
     */
    public static PayoutFile write(final PayoutBatch batch, final BankFileLayout layout) {
        final String name = "payout-" + batch.compactDate() + "-" + batch.batchId() + "." + layout.name() + "."
                + layout.extension();
        return new PayoutFile(name, layout.write(of(batch)));
    }
}
