package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.ResponseCode;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.MacFunction;
import dev.prepaid.testing.ProjectFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The reply thread's writer on its own: the fields it sets from the outcome and the clock, what it keeps between
 * replies (the local date, field 44 per issuer) and that a kept value never outlives what it was made from.
 */
class ResponseWriterTest {
    /** The purchase example of pos-iso8583 (fields 2 3 4 11 22 25 26 41 42 49 52 53 60 64). */
    private static final String PURCHASE = "6000030000" + "603100310000" + "0200" + "702004C000C09811"
            + "196228480402564890" + "0180" + "000000" + "000000010000" + "000123" + "0210" + "00" + "12"
            + "5445524D30303031" + "4D45524348414E5430303030303031" + "313536" + "1122334455667788"
            + "2600000000000000" + "0011220000010000" + "A1A2A3A4A5A6A7A8";
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private final Dialect dialect = Dialect.load(ProjectFiles.path(Dialect.DEFAULT_PATH));
    private final ResponseWriter writer = new ResponseWriter(dialect, "48020000", "CUP", SHANGHAI);
    private final IsoMessage request = new IsoMessage(dialect);
    private final Transaction purchase;
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
    private final Outcome outcome = new Outcome();
    private final ResponseWriter.Answer answer = new ResponseWriter.Answer();

    ResponseWriterTest() {
        final byte[] frame = HexFormat.of().parseHex(PURCHASE);
        assertThat(request.wrap(new UnsafeBuffer(frame), 0, frame.length)).as("%s", request.error()).isTrue();
        purchase = dialect.transactions().find(request);
        outcome.rrn = 633412000042L;
        outcome.authCode = 4711;
        outcome.availableBalance = 123456;
        outcome.businessDate = 20261124;
        outcome.batch = 12;
        outcome.issuerInstitutionId = "08880001";
    }

    @Test
    void anApprovedPurchaseCarriesWhatTheOutcomeAndTheClockSay() {
        final IsoMessage response = write(Instant.parse("2026-11-24T02:30:05Z"));
        assertThat(response.mti()).isEqualTo(210);
        assertThat(response.numeric(12)).as("local time hhmmss").isEqualTo(103005);
        assertThat(response.numeric(13)).as("local date MMDD").isEqualTo(1124);
        assertThat(response.numeric(15)).as("settlement date").isEqualTo(1124);
        assertThat(response.numeric(32)).isEqualTo(48_020_000L);
        assertThat(ascii(response, 37)).isEqualTo("633412000042");
        assertThat(ascii(response, 38)).isEqualTo("004711");
        assertThat(ascii(response, 39)).isEqualTo("00");
        assertThat(ascii(response, 44)).isEqualTo("08880001   48020000   ");
        assertThat(ascii(response, 63)).isEqualTo("CUP");
        assertThat(response.has(64)).as("no session, no MAC").isFalse();
    }

    @Test
    void theLocalDateFollowsTheZoneAcrossMidnight() {
        // 15:59:59 UTC is 23:59:59 in Shanghai; a second later the local date moves on, the UTC date does not.
        final IsoMessage before = write(Instant.parse("2026-11-23T15:59:59Z"));
        assertThat(before.numeric(12)).isEqualTo(235959);
        assertThat(before.numeric(13)).isEqualTo(1123);
        final IsoMessage after = write(Instant.parse("2026-11-23T16:00:00Z"));
        assertThat(after.numeric(12)).isEqualTo(0);
        assertThat(after.numeric(13)).isEqualTo(1124);
        // and back: a reply stamped earlier (another thread's clock) gets its own date, not the kept one
        assertThat(write(Instant.parse("2026-11-23T15:00:00Z")).numeric(13)).isEqualTo(1123);
    }

    @Test
    void field44FollowsTheIssuerOfEachReply() {
        assertThat(ascii(write(Instant.parse("2026-11-24T02:30:05Z")), 44)).isEqualTo("08880001   48020000   ");
        outcome.issuerInstitutionId = "12345678901";
        assertThat(ascii(write(Instant.parse("2026-11-24T02:30:06Z")), 44)).isEqualTo("1234567890148020000   ");
        outcome.issuerInstitutionId = new String("08880001"); // equal text, another String
        assertThat(ascii(write(Instant.parse("2026-11-24T02:30:07Z")), 44)).isEqualTo("08880001   48020000   ");
    }

    @Test
    void anIssuerIdThatIsNotAsciiIsRefusedNotSent() {
        outcome.issuerInstitutionId = "0888\u00e90001";
        answer.set(ResponseCode.APPROVED, outcome, Instant.parse("2026-11-24T02:30:05Z").toEpochMilli());
        assertThat(writer.write(request, purchase, answer, out)).isEqualTo(-1);
        assertThat(writer.error()).contains("44");
    }

    @Test
    void aSessionSignsTheResponseWithItsMak() {
        final DesKey mak = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        answer.set(ResponseCode.APPROVED, outcome, Instant.parse("2026-11-24T02:30:05Z").toEpochMilli());
        answer.session = new Session(mak, mak, MacFunction.CUP_ECB);
        final int length = writer.write(request, purchase, answer, out);
        final IsoMessage response = decode(length);
        assertThat(response.has(64)).isTrue();
        assertThat(MacFunction.CUP_ECB.verify(mak, out.byteArray(), response.macBlockOffset(),
                response.macBlockLength(), out.byteArray(), length - 8, new byte[8])).isTrue();
    }

    @Test
    void settlementAnswersCarryAFlagForEachPartOfTheTotals() {
        assertThat(settle("000000002500002000000000800002" + "0" + "000000000000000000000000000000" + "0"))
                .as("foreign part zero, as the switch's: balanced")
                .isEqualTo("000000002500002000000000800002" + "1" + "000000000000000000000000000000" + "1");
        assertThat(settle("000000002500002000000000800002" + "0" + "000000000100001000000000000000" + "0"))
                .as("foreign totals the switch cannot have: unbalanced, the terminal uploads")
                .isEqualTo("000000002500002000000000800002" + "1" + "000000000100001000000000000000" + "2");
    }

    /** A 0500 with these totals answered by a ledger that found the domestic part balanced; field 48 of the answer. */
    private String settle(final String totals) {
        final byte[] frame = new byte[256];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final dev.prepaid.iso8583.IsoWriter requestWriter = new dev.prepaid.iso8583.IsoWriter(dialect)
                .wrapRequest(buffer, 0, frame.length, 3, 0, 0x603100310000L, 500);
        requestWriter.putNumeric(11, 77).putAscii(41, "10000001").putAscii(42, "123456789012345").putDigits(48, totals)
                .putAscii(49, "156").putDigits(60, "00000001201").putAscii(63, "001");
        final int length = requestWriter.finish();
        assertThat(length).as("%s", requestWriter.error()).isPositive();
        final IsoMessage settlement = new IsoMessage(dialect);
        assertThat(settlement.wrap(buffer, 0, length)).as("%s", settlement.error()).isTrue();
        final Transaction row = dialect.transactions().find(settlement);
        assertThat(row.name).isEqualTo("BATCH_SETTLEMENT");
        outcome.settlementFlag = 1;
        answer.set(ResponseCode.APPROVED, outcome, Instant.parse("2026-11-24T02:30:05Z").toEpochMilli());
        final IsoMessage response = decode(writer.write(settlement, row, answer, out));
        assertThat(response.mti()).isEqualTo(510);
        final byte[] digits = new byte[response.length(48)];
        response.getDigits(48, digits, 0);
        return new String(digits, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private IsoMessage write(final Instant at) {
        answer.set(ResponseCode.APPROVED, outcome, at.toEpochMilli());
        return decode(writer.write(request, purchase, answer, out));
    }

    private IsoMessage decode(final int length) {
        assertThat(length).as("%s", writer.error()).isPositive();
        final IsoMessage response = new IsoMessage(dialect);
        assertThat(response.wrap(out, 0, length)).as("%s", response.error()).isTrue();
        return response;
    }

    /** A field of the answer as ASCII; the field must be there. */
    private static String ascii(final IsoMessage message, final int field) {
        assertThat(message.has(field)).as("field %d", field).isTrue();
        final byte[] bytes = new byte[message.dataBytes(field)];
        message.getBytes(field, bytes, 0);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
