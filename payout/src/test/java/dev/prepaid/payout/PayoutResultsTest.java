package dev.prepaid.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.command.AdminCommand.RecordPayoutResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bank's result file: read against its batch, every problem named with its line, commands only when clean. */
class PayoutResultsTest {
    private static final String M1 = "7-888310048990001";
    private static final String M2 = "7-888310048990002";

    private static PayoutResults read(final String text) {
        return PayoutResults.read(Batches.plain(), text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> problems(final String text) {
        return read(text).problems().stream().map(PayoutResults.Problem::toString).toList();
    }

    @Test
    void aCleanFileGivesOneRecordPayoutResultPerPayout() {
        final PayoutResults results = read(""
                + M1 + ",1234.56,PAID,,,B20261124-0001\r\n"
                + M2 + ",0.01,FAILED,AC04,账户已销户 (account closed),\r\n");
        assertThat(results.problems()).isEmpty();
        assertThat(results.unanswered()).isEmpty();
        assertThat(results.commands()).containsExactly(
                new RecordPayoutResult(7, "888310048990001", true, "B20261124-0001"),
                new RecordPayoutResult(7, "888310048990002", false, ""));
        final PayoutResult failed = results.results().get(1);
        assertThat(failed).isEqualTo(new PayoutResult(2, 7, "888310048990002", M2, 1, PayoutStatus.FAILED, "AC04",
                "账户已销户 (account closed)", ""));
        assertThat(failed.note()).isEqualTo("bank FAILED AC04");
        assertThat(results.results().get(0).note()).isEqualTo("bank PAID");
    }

    @Test
    void lfLineEndsAByteOrderMarkQuotedFieldsAndZeroPaddedAmountsAreTaken() {
        final PayoutResults results = read("\uFEFF"
                + "\"" + M2 + "\",0000000.01,FAILED,R03,\"no such account, \"\"check\"\"\",REF-9\n"
                + M1 + ",1234.56,PAID,OK,,B1\n");
        assertThat(results.problems()).isEmpty();
        assertThat(results.results()).extracting(PayoutResult::lineNumber).containsExactly(1, 2);
        assertThat(results.results().get(0).reasonText()).isEqualTo("no such account, \"check\"");
        assertThat(results.commands()).extracting(RecordPayoutResult::merchantId)
                .containsExactly("888310048990002", "888310048990001");
    }

    @Test
    void payoutsTheFileDoesNotAnswerAreListedAndTheRestCanBeBooked() {
        final PayoutResults results = read(M2 + ",0.01,PAID,,,B2\r\n");
        assertThat(results.problems()).isEmpty();
        assertThat(results.unanswered()).extracting(PayoutLine::endToEndId).containsExactly(M1);
        assertThat(results.commands()).containsExactly(new RecordPayoutResult(7, "888310048990002", true, "B2"));
    }

    @Test
    void malformedLinesAreNamedByLineAndWhatIsWrong() {
        assertThat(problems(""
                + M1 + ",1234.56,PAID,,B1\r\n"
                + M1 + ",1234.56,PAID,,\"unclosed,B1\r\n"
                + M1 + ",1234.5,PAID,,,B1\r\n"
                + M1 + ",1234.56,paid,,,B1\r\n"
                + M1 + ",1234.56,FAILED,,account closed,\r\n"
                + M1 + ",1234.56,PAID,,,\r\n"
                + M1 + ",1234.56,PAID,,," + "R".repeat(65) + "\r\n"
                + M1 + ",1234.56,FAILED,AC 04,,\r\n"
                + M1 + ",1234.56,FAILED,AC04,tab\there,\r\n"
                + "\r\n"
                + M1 + ",1234.56,PAID,,,B1\rB2\r\n"
                + M1 + ",1234.56,PAID,,,B1")).containsExactly(
                "line 1: 5 fields; a result line has 6 (endToEndId,amount,status,reasonCode,reasonText,bankReference)",
                "line 2: the quoted field opened at character 33 is not closed",
                "line 3: amount '1234.5' must be yuan with exactly two decimals, like 1234.56",
                "line 4: status 'paid' is neither PAID nor FAILED",
                "line 5: a FAILED payout needs the bank's reason code",
                "line 6: a PAID payout needs the bank's reference",
                "line 7: bank reference is 65 characters long (UTF-16 units); the payout files carry at most 64",
                "line 8: reason code has U+0020 at character 3; it must be printable ASCII without spaces",
                "line 9: reason text has U+0009 at character 4; the payout files cannot carry it",
                "line 10: an empty line",
                "line 11: a CR at byte 36 that does not end the line",
                "line 12: the file ends inside this line (it has no line end): is the file cut short?");
        final byte[] notUtf8 = (M1 + ",1234.56,PAID,,,B1\r\n").getBytes(StandardCharsets.UTF_8);
        notUtf8[notUtf8.length - 3] = (byte) 0xFF;
        assertThat(PayoutResults.read(Batches.plain(), notUtf8).problems()).extracting(PayoutResults.Problem::toString)
                .containsExactly("line 1: bytes that are not UTF-8 at byte 35 of the line");
        assertThat(problems("")).containsExactly("the file has no line");
    }

    @Test
    void unknownPayoutsAreNamedAsAnotherBatchsAMerchantNotInThisOneOrNotAnId() {
        assertThat(problems(""
                + "8-888310048990001,1234.56,PAID,,,B1\r\n"
                + "7-888310048990009,1234.56,PAID,,,B1\r\n"
                + "888310048990001,1234.56,PAID,,,B1\r\n"
                + "7-,1234.56,PAID,,,B1\r\n")).containsExactly(
                "line 1: payout 8-888310048990001 is of batch 8; this file is read for batch 7",
                "line 2: merchant 888310048990009 has no payout in batch 7 waiting for a result",
                "line 3: end-to-end id '888310048990001' is not <batch id>-<merchant id>",
                "line 4: end-to-end id '7-' is not <batch id>-<merchant id>");
    }

    @Test
    void anAmountOtherThanTheBatchsIsRefused() {
        assertThat(problems(M1 + ",1234.65,PAID,,,B1\r\n" + M2 + ",0.01,PAID,,,B2\r\n")).containsExactly(
                "line 1: amount 1234.65 is not the 1234.56 batch 7 pays merchant 888310048990001");
    }

    @Test
    void aPayoutAnsweredTwiceIsAProblemEvenWhenBothLinesAgree() {
        final PayoutResults results = read(""
                + M1 + ",1234.56,PAID,,,B1\r\n"
                + M2 + ",0.01,PAID,,,B2\r\n"
                + M1 + ",1234.56,PAID,,,B1\r\n"
                + M1 + ",1234.56,FAILED,AC04,,\r\n");
        assertThat(results.problems()).extracting(PayoutResults.Problem::toString).containsExactly(
                "line 3: payout " + M1 + " again; line 1 already gave its result",
                "line 4: payout " + M1 + " again; line 1 already gave its result");
        assertThat(results.results()).extracting(PayoutResult::lineNumber).containsExactly(1, 2);
    }

    @Test
    void aFileWithAnyProblemGivesNoCommandAtAll() {
        final PayoutResults results = read(M1 + ",1234.56,PAID,,,B1\r\n" + M2 + ",0.02,PAID,,,B2\r\n");
        assertThat(results.results()).hasSize(1);
        assertThatThrownBy(results::commands).isInstanceOf(IllegalStateException.class)
                .hasMessage("the result file of batch 7 has 1 problem(s), first line 2: amount 0.02 is not the 0.01"
                        + " batch 7 pays merchant 888310048990002; none of it is booked");
    }

    @Test
    void problemsStopAtALimitAndAFileTooLargeForTheBatchIsNotRead(@TempDir final Path directory) throws Exception {
        final StringBuilder garbage = new StringBuilder();
        for (int i = 0; i < PayoutResults.MAX_PROBLEMS + 50; i++) {
            garbage.append("x\r\n");
        }
        final List<PayoutResults.Problem> problems = read(garbage.toString()).problems();
        assertThat(problems).hasSize(PayoutResults.MAX_PROBLEMS + 1);
        assertThat(problems.get(PayoutResults.MAX_PROBLEMS).toString())
                .isEqualTo("line 1001: more than 1000 problems; reading stopped here");

        final Path file = directory.resolve("result.csv");
        Files.writeString(file, M1 + ",1234.56,PAID,,,B1\r\n");
        assertThat(PayoutResults.read(Batches.plain(), file).problems()).isEmpty();
        Files.write(file, new byte[3 + 2 * (TextLines.MAX_LINE_BYTES + 2) + 1]);
        assertThatThrownBy(() -> PayoutResults.read(Batches.plain(), file))
                .hasMessageEndingWith("is 8200 bytes; a result file of batch 7's 2 payouts is at most 8199");
    }
}
