package dev.prepaid.payout;

import dev.prepaid.command.AdminCommand.RecordPayoutResult;

/**
 * One line of the bank's result file, matched to its payout line.
 *
 * @param lineNumber where it is in the file, from 1
 * @param settlementId the batch (RECORD_PAYOUT_RESULT's {@code settlementId})
 * @param merchantId the merchant paid
 * @param endToEndId the payout's id, as the payout files sent it
 * @param amountFen the amount, equal to the payout line's
 * @param reasonCode the bank's reason code; empty when the bank gave none (a payment)
 * @param reasonText the bank's words; may be empty
 * @param bankReference the bank's reference of the transfer (at most 64 printable ASCII characters, as the ledger
 *        keeps); empty only for a failure
 */
public record PayoutResult(int lineNumber, long settlementId, String merchantId, String endToEndId, long amountFen,
        PayoutStatus status, String reasonCode, String reasonText, String bankReference) {

    /** The command that books this result in the ledger. */
    public RecordPayoutResult command() {
        return new RecordPayoutResult(settlementId, merchantId, status == PayoutStatus.PAID, bankReference);
    }

    /**
     * A note for the command's envelope: the status and the bank's reason code ({@code bank FAILED AC04}), which
     * the command itself does not carry. ASCII and at most 47 characters, within every limit on a note.
     */
    public String note() {
        return reasonCode.isEmpty() ? "bank " + status : "bank " + status + " " + reasonCode;
    }
}
