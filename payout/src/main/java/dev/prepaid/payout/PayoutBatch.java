package dev.prepaid.payout;

import dev.prepaid.clearing.Payee;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.merchant.Deployer;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.MerchantProfile;
import dev.prepaid.money.Money;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What the payout files of one settlement batch say: the batch, the custody account that pays, and one line
 * per merchant. Everything the files contain comes from here — the creation time included, given by the caller
 * — so the same batch always gives the same bytes.
 *
 * @param batchId the settlement batch's id (RECORD_PAYOUT_RESULT's {@code settlementId})
 * @param businessDate the business date the batch was prepared on; the requested execution date of the transfers
 * @param createdAt when the files are made (pain.001's creation time, to the second)
 * @param debtor the custody account
 * @param lines the merchants' payouts, in the batch's order; at least one, each merchant once
 */
public record PayoutBatch(long batchId, LocalDate businessDate, OffsetDateTime createdAt, Debtor debtor,
        List<PayoutLine> lines) {
    /** ISO 4217 code of {@link Money#CNY}. */
    public static final String CURRENCY = "CNY";

    public PayoutBatch {
        if (batchId <= 0) {
            throw new IllegalArgumentException("batch id must be positive, got " + batchId);
        }
        if (businessDate == null || createdAt == null || debtor == null) {
            throw new IllegalArgumentException("business date, creation time and debtor are required");
        }
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("batch " + batchId + " has no payout line");
        }
        lines = List.copyOf(lines);
        final Map<String, Integer> seen = new HashMap<>();
        long total = 0;
        for (int i = 0; i < lines.size(); i++) {
            final PayoutLine line = lines.get(i);
            final Integer earlier = seen.putIfAbsent(line.merchantId(), i + 1);
            if (earlier != null) {
                throw new IllegalArgumentException("merchant " + line.merchantId() + " has lines " + earlier + " and "
                        + (i + 1) + " in batch " + batchId + "; a merchant is paid once per batch");
            }
            final String expected = PayoutLine.endToEndId(batchId, line.merchantId());
            if (!expected.equals(line.endToEndId())) {
                throw new IllegalArgumentException("line " + (i + 1) + " has end-to-end id " + line.endToEndId()
                        + "; batch " + batchId + " names it " + expected);
            }
            total = Math.addExact(total, line.amountFen());
            if (total > PayoutLine.MAX_AMOUNT_FEN) {
                throw new IllegalArgumentException("batch " + batchId + " totals more than "
                        + Money.format(PayoutLine.MAX_AMOUNT_FEN) + ", more than pain.001's control sum carries");
            }
        }
    }

    /**
     * The payouts of an approved settlement batch that wait for the bank: the lines the ledger moved to clearing
     * in transit at approval ({@link SettlementBatch#LINE_SENT}) and has no result for yet. A line already paid
     * or failed is not sent again. Each line pays the bank details the batch froze at preparation
     * ({@link SettlementBatch#payee}); a batch without them (made outside the ledger) pays its merchant's current
     * details.
     *
     * @param merchants the ledger's merchant of each index ({@code LedgerState::merchant})
     * @param purpose the remittance text of every line (e.g. "结算款 2026-11-24")
     * @throws IllegalArgumentException when the batch is not approved, has nothing waiting, or a merchant's bank
     *         details cannot be paid to (naming the merchant and the field)
     */
    public static PayoutBatch of(final SettlementBatch settlement, final IntFunction<Merchant> merchants,
            final Debtor debtor, final OffsetDateTime createdAt, final String purpose) {
        return of(settlement, merchants, d -> null, debtor, createdAt, purpose, false);
    }

    /**
     * As {@link #of(SettlementBatch, IntFunction, Debtor, OffsetDateTime, String)}, with the batch's deployer lines
     * after its merchants': each pays a deployer its shares, its payee id being the deployer's code.
     *
     * @param deployers the ledger's deployer of each index ({@code LedgerState::deployer})
     */
    public static PayoutBatch of(final SettlementBatch settlement, final IntFunction<Merchant> merchants,
            final IntFunction<Deployer> deployers, final Debtor debtor, final OffsetDateTime createdAt,
            final String purpose) {
        return of(settlement, merchants, deployers, debtor, createdAt, purpose, false);
    }

    /** {@link #asSent(SettlementBatch, IntFunction, Debtor, OffsetDateTime, String)} with its deployer lines. */
    public static PayoutBatch asSent(final SettlementBatch settlement, final IntFunction<Merchant> merchants,
            final IntFunction<Deployer> deployers, final Debtor debtor, final OffsetDateTime createdAt,
            final String purpose) {
        return of(settlement, merchants, deployers, debtor, createdAt, purpose, true);
    }

    /**
     * The batch as it was sent to the bank: every line of the approved batch, whatever results are booked since
     * (approval sends every line). The files of an approved batch are made from this, so that making them again
     * after some results came back gives the same bytes, and the bank sees the same payments, not new ones.
     */
    public static PayoutBatch asSent(final SettlementBatch settlement, final IntFunction<Merchant> merchants,
            final Debtor debtor, final OffsetDateTime createdAt, final String purpose) {
        return of(settlement, merchants, d -> null, debtor, createdAt, purpose, true);
    }

    private static PayoutBatch of(final SettlementBatch settlement, final IntFunction<Merchant> merchants,
            final IntFunction<Deployer> deployers, final Debtor debtor, final OffsetDateTime createdAt,
            final String purpose, final boolean everyLine) {
        if (settlement.state() == SettlementBatch.PREPARED) {
            throw new IllegalArgumentException("settlement " + settlement.id()
                    + " is not approved yet; it goes to the bank after a second operator approves it");
        }
        if (settlement.state() == SettlementBatch.REJECTED) {
            throw new IllegalArgumentException("settlement " + settlement.id() + " was rejected; nothing is paid");
        }
        final List<PayoutLine> lines = new ArrayList<>();
        for (int i = 0; i < settlement.lines(); i++) {
            if (!everyLine && settlement.lineState(i) != SettlementBatch.LINE_SENT
                    || settlement.lineState(i) == SettlementBatch.LINE_NONE) {
                continue; // a line that only collects recharge cash pays nothing
            }
            final Merchant merchant = merchants.apply(settlement.merchant(i));
            if (merchant == null) {
                throw new IllegalArgumentException("settlement " + settlement.id() + " line " + (i + 1)
                        + " is for merchant index " + settlement.merchant(i) + ", which the ledger does not have");
            }
            final MerchantProfile p = merchant.profile();
            final Payee payee = settlement.payee(i) != null ? settlement.payee(i) : Payee.of(p);
            lines.add(PayoutLine.of(settlement.id(), p.merchantId(), payee.accountName(), payee.account(),
                    payee.bankName(), payee.cnapsCode(), settlement.amount(i), purpose));
        }
        for (int i = 0; i < settlement.deployerLines(); i++) {
            if (!everyLine && settlement.deployerState(i) != SettlementBatch.LINE_SENT) {
                continue;
            }
            final Deployer deployer = deployers.apply(settlement.deployer(i));
            if (deployer == null) {
                throw new IllegalArgumentException("settlement " + settlement.id() + " deployer line " + (i + 1)
                        + " is for deployer index " + settlement.deployer(i) + ", which the ledger does not have");
            }
            final Payee payee = settlement.deployerPayee(i);
            lines.add(PayoutLine.of(settlement.id(), deployer.profile().code(), payee.accountName(), payee.account(),
                    payee.bankName(), payee.cnapsCode(), settlement.deployerAmount(i), purpose));
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("settlement " + settlement.id()
                    + " has no payout waiting for the bank: every line has its result");
        }
        return new PayoutBatch(settlement.id(), LocalDate.ofEpochDay(settlement.preparedDay()), createdAt, debtor, lines);
    }

    /** How many transfers: NbOfTxs, the delimited file's count. */
    public int count() {
        return lines.size();
    }

    /** The sum of the lines in fen: CtrlSum, the delimited file's total. Fits (checked at construction). */
    public long totalFen() {
        long total = 0;
        for (final PayoutLine line : lines) {
            total = Math.addExact(total, line.amountFen());
        }
        return total;
    }

    /** {@code yyyymmdd} of the business date, as file names and the delimited file write it. */
    public String compactDate() {
        return compact(businessDate);
    }

    static String compact(final LocalDate date) {
        return String.format("%04d%02d%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }
}
