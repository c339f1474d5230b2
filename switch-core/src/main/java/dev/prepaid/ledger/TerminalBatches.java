package dev.prepaid.ledger;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.merchant.Merchant;
import dev.prepaid.merchant.Terminal;

/** A terminal's session and batch: sign-on and sign-off, batch settlement (0500) and batch upload (0320). */
final class TerminalBatches {
    private final PosRequest req;

    TerminalBatches(final PosRequest request) {
        this.req = request;
    }

    void signOn(final Terminal terminal, final Merchant merchant, final Outcome out) {
        if (!merchant.active()) {
            out.reason = Reason.MERCHANT_NOT_ACTIVE;
            return;
        }
        terminal.signedOn(true);
        out.batch = terminal.currentBatch();
    }

    void signOff(final Terminal terminal, final Outcome out) {
        terminal.signedOn(false);
        out.batch = terminal.currentBatch();
    }

    /** Closes the open batch, balanced when the terminal's totals equal the ledger's; a repeat gets the same flag. */
    void settle(final Terminal terminal, final Outcome out) {
        final int batch = req.batch();
        if (batch == terminal.currentBatch()) {
            final boolean balanced = req.settleDebitAmount() == terminal.debitAmount()
                    && req.settleDebitCount() == terminal.debitCount()
                    && req.settleCreditAmount() == terminal.creditAmount()
                    && req.settleCreditCount() == terminal.creditCount();
            terminal.closeBatch(balanced ? 1 : 2);
            out.batch = batch;
            out.settlementFlag = terminal.settledFlag();
        } else if (batch == terminal.settledBatch()) {
            out.batch = batch;
            out.settlementFlag = terminal.settledFlag();
            out.duplicate = true;
        } else {
            out.reason = Reason.BATCH_NUMBER_MISMATCH;
            out.batch = terminal.currentBatch();
        }
    }

    void upload(final Terminal terminal, final PosKind kind, final Outcome out) {
        if (req.batch() != terminal.settledBatch()) {
            out.reason = Reason.NO_SETTLED_BATCH_TO_UPLOAD;
            return;
        }
        if (kind == PosKind.BATCH_UPLOAD) {
            terminal.countUpload();
        }
        out.batch = req.batch();
        out.value1 = terminal.uploadedCount();
    }
}
