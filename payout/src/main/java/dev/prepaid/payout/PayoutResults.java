package dev.prepaid.payout;

import dev.prepaid.command.AdminCommand.RecordPayoutResult;
import dev.prepaid.money.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bank's result file of a payout batch, read against that batch (docs/payout-files.md): one line per payout,
 * {@code endToEndId,amount,status,reasonCode,reasonText,bankReference}, fields as in the neutral file, UTF-8 (a
 * byte order mark is skipped), lines ended by CR LF or LF.
 *
 * <p>Every line is read; what is wrong is collected with its line number — a line that cannot be read, a payout
 * the batch does not have, an amount other than the batch's, a payout answered twice — so one reading shows the
 * operator everything to fix. A file with any problem gives no commands at all: booking part of a file the bank
 * and the switch disagree on would leave the books saying what neither side knows to be true.
 */
public final class PayoutResults {
    /** Problems kept before reading stops: enough to see what is wrong with any file. */
    static final int MAX_PROBLEMS = 1000;
    private static final int FIELDS = 6;
    /** The ledger keeps at most this much of a bank reference (RECORD_PAYOUT_RESULT). */
    static final int MAX_BANK_REFERENCE = 64;
    static final int MAX_REASON_CODE = 35;
    static final int MAX_REASON_TEXT = 140;

    /** What is wrong with one line of the file; line 0 is the file as a whole. */
    public record Problem(int lineNumber, String message) {
        @Override
        public String toString() {
            return lineNumber == 0 ? message : "line " + lineNumber + ": " + message;
        }
    }

    private final PayoutBatch batch;
    private final List<PayoutResult> results;
    private final List<Problem> problems;
    private final List<PayoutLine> unanswered;

    private PayoutResults(final PayoutBatch batch, final List<PayoutResult> results, final List<Problem> problems,
            final List<PayoutLine> unanswered) {
        this.batch = batch;
        this.results = List.copyOf(results);
        this.problems = List.copyOf(problems);
        this.unanswered = List.copyOf(unanswered);
    }

    /**
     * Reads a result file from disk; a file larger than a result file of this batch can be is refused unread.
     *
     * @throws IllegalArgumentException when the file is too large to be a result of {@code batch}
     */
    public static PayoutResults read(final PayoutBatch batch, final Path file) throws IOException {
        final long limit = 3L + (long) batch.count() * (TextLines.MAX_LINE_BYTES + 2);
        final long size = Files.size(file);
        if (size > limit) {
            throw new IllegalArgumentException(file + " is " + size + " bytes; a result file of batch " + batch.batchId()
                    + "'s " + batch.count() + " payouts is at most " + limit);
        }
        return read(batch, Files.readAllBytes(file));
    }

    public static PayoutResults read(final PayoutBatch batch, final byte[] content) {
        final Map<String, PayoutLine> byId = new HashMap<>();
        for (final PayoutLine line : batch.lines()) {
            byId.put(line.endToEndId(), line);
        }
        final Map<String, PayoutResult> answered = new LinkedHashMap<>();
        final List<Problem> problems = new ArrayList<>();
        final List<TextLines.Line> lines = TextLines.of(content, false, true);
        if (lines.isEmpty()) {
            problems.add(new Problem(0, "the file has no line"));
        }
        for (final TextLines.Line line : lines) {
            if (problems.size() >= MAX_PROBLEMS) {
                problems.add(new Problem(line.number(), "more than " + MAX_PROBLEMS + " problems; reading stopped here"));
                break;
            }
            if (line.problem() != null) {
                problems.add(new Problem(line.number(), line.problem()));
                continue;
            }
            try {
                final PayoutResult result = result(batch, byId, line);
                final PayoutResult earlier = answered.putIfAbsent(result.endToEndId(), result);
                if (earlier != null) {
                    problems.add(new Problem(line.number(), "payout " + result.endToEndId() + " again; line "
                            + earlier.lineNumber() + " already gave its result"));
                }
            } catch (final IllegalArgumentException e) {
                problems.add(new Problem(line.number(), e.getMessage()));
            }
        }
        final List<PayoutLine> unanswered = new ArrayList<>();
        for (final PayoutLine line : batch.lines()) {
            if (!answered.containsKey(line.endToEndId())) {
                unanswered.add(line);
            }
        }
        return new PayoutResults(batch, new ArrayList<>(answered.values()), problems, unanswered);
    }

    /** One line, checked field by field and against the batch. */
    private static PayoutResult result(final PayoutBatch batch, final Map<String, PayoutLine> byId,
            final TextLines.Line line) {
        if (line.text().isEmpty()) {
            throw new IllegalArgumentException("an empty line");
        }
        final List<String> f = Csv.split(line.text());
        if (f.size() != FIELDS) {
            throw new IllegalArgumentException(f.size() + " fields; a result line has " + FIELDS
                    + " (endToEndId,amount,status,reasonCode,reasonText,bankReference)");
        }
        final String endToEndId = f.get(0);
        final PayoutLine payout = byId.get(endToEndId);
        if (payout == null) {
            throw new IllegalArgumentException(unknown(batch, endToEndId));
        }
        final long amount = Amounts.parse(f.get(1));
        if (amount != payout.amountFen()) {
            throw new IllegalArgumentException("amount " + Money.format(amount) + " is not the "
                    + Money.format(payout.amountFen()) + " batch " + batch.batchId() + " pays merchant "
                    + payout.merchantId());
        }
        final PayoutStatus status = status(f.get(2));
        final String reasonCode = optional(f.get(3), () -> PayoutText.requireAsciiId("reason code", f.get(3),
                MAX_REASON_CODE));
        final String reasonText = optional(f.get(4), () -> PayoutText.require("reason text", f.get(4), MAX_REASON_TEXT));
        final String reference = optional(f.get(5), () -> PayoutText.requireAsciiId("bank reference", f.get(5),
                MAX_BANK_REFERENCE));
        if (status == PayoutStatus.FAILED && reasonCode.isEmpty()) {
            throw new IllegalArgumentException("a FAILED payout needs the bank's reason code");
        }
        if (status == PayoutStatus.PAID && reference.isEmpty()) {
            throw new IllegalArgumentException("a PAID payout needs the bank's reference");
        }
        return new PayoutResult(line.number(), batch.batchId(), payout.merchantId(), endToEndId, amount, status,
                reasonCode, reasonText, reference);
    }

    /** Why an end-to-end id names no payout of the batch: not an id, another batch's, or a merchant not in it. */
    private static String unknown(final PayoutBatch batch, final String endToEndId) {
        final int dash = endToEndId.indexOf('-');
        final boolean shaped = dash > 0 && dash < endToEndId.length() - 1
                && endToEndId.substring(0, dash).chars().allMatch(c -> c >= '0' && c <= '9');
        if (!shaped) {
            return "end-to-end id '" + PayoutText.printable(endToEndId) + "' is not <batch id>-<merchant id>";
        }
        final String batchPart = endToEndId.substring(0, dash);
        if (!batchPart.equals(Long.toString(batch.batchId()))) {
            return "payout " + PayoutText.printable(endToEndId) + " is of batch " + batchPart + "; this file is read"
                    + " for batch " + batch.batchId();
        }
        return "merchant " + PayoutText.printable(endToEndId.substring(dash + 1)) + " has no payout in batch "
                + batch.batchId() + " waiting for a result";
    }

    private static PayoutStatus status(final String text) {
        for (final PayoutStatus status : PayoutStatus.values()) {
            if (status.name().equals(text)) {
                return status;
            }
        }
        throw new IllegalArgumentException("status '" + PayoutText.printable(text) + "' is neither PAID nor FAILED");
    }

    private static String optional(final String value, final Runnable check) {
        if (!value.isEmpty()) {
            check.run();
        }
        return value;
    }

    public PayoutBatch batch() {
        return batch;
    }

    /** The results read, each payout once, in the order of the file. */
    public List<PayoutResult> results() {
        return results;
    }

    /** What is wrong, in the order of the file; empty when the file can be booked. */
    public List<Problem> problems() {
        return problems;
    }

    /** The batch's payouts the file gives no result for (the bank may send them in a later file). */
    public List<PayoutLine> unanswered() {
        return unanswered;
    }

    /**
     * One RECORD_PAYOUT_RESULT per result, in the order of the file.
     *
     * @throws IllegalStateException when the file has problems: none of it is booked
     */
    public List<RecordPayoutResult> commands() {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the result file of batch " + batch.batchId() + " has " + problems.size()
                    + " problem(s), first " + problems.get(0) + "; none of it is booked");
        }
        return results.stream().map(PayoutResult::command).toList();
    }
}
