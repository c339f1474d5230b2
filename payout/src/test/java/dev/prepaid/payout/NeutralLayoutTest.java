package dev.prepaid.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The neutral delimited bank batch file of domain-rules §6, byte for byte, and its reader. */
class NeutralLayoutTest {

    private static String text(final PayoutBatch batch) {
        return new String(BankBatchFile.write(batch, NeutralLayout.INSTANCE).content(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHeaderWithTheTotalsThenOneLinePerPayeeEndedByCrLf() {
        assertThat(text(Batches.plain())).isEqualTo(""
                + "7,20261124,1001000100010001,2,1234.57\r\n"
                + "6222020200998877665,Corner Books Ltd.,ICBC Shanghai Pudong,102290000011,1234.56,Settlement 2026-11-24,"
                + "7-888310048990001\r\n"
                + "6222020200998877665,Noodle House,ICBC Shanghai Pudong,102290000011,0.01,Settlement 2026-11-24,"
                + "7-888310048990002\r\n");
        assertThat(BankBatchFile.write(Batches.plain(), NeutralLayout.INSTANCE).name())
                .isEqualTo("payout-20261124-7.neutral.csv");
    }

    @Test
    void fieldsWithTheDelimiterAQuoteOrEdgeSpacesAreQuotedAndEverythingElseIsWrittenAsItIs() {
        final String[] lines = text(Batches.awkward()).split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("8,20261124,1001-0001,3,1001.49");
        assertThat(lines[1]).isEqualTo("62220202,\"Tom & Jerry's <Shop>, \"\"Ltd\"\"\",\"Bank, \"\"Quoted\"\" & <Angled>\","
                + "102100000001,1.00,\"a,b \"\"c\"\" <d> & e\",8-M&1");
        assertThat(lines[2]).isEqualTo("6217001234567890123,上海南京路百货有限公司,中国建设银行上海分行,105290000014,999.99,"
                + "结算款 2026-11-24,8-M-2");
        assertThat(lines[3]).isEqualTo("6225880011223344,\" leading and trailing spaces \",招商银行,308290003011,0.50,"
                + "𠀀 supplementary 😀,8-M3");
    }

    @Test
    void everyBatchReadsBackAsItsHeaderAndRowsAndTheSameBatchGivesTheSameBytes() {
        for (final PayoutBatch batch : Batches.all()) {
            final PayoutFile file = BankBatchFile.write(batch, NeutralLayout.INSTANCE);
            final BankBatchFile read = NeutralLayout.read(file.content());
            assertThat(read).isEqualTo(BankBatchFile.of(batch));
            assertThat(read.header().count()).isEqualTo(batch.count());
            assertThat(read.header().totalFen()).isEqualTo(batch.totalFen());
            assertThat(read.rows()).extracting(BankBatchFile.Row::reference)
                    .containsExactlyElementsOf(batch.lines().stream().map(PayoutLine::endToEndId).toList());
            assertThat(BankBatchFile.write(batch, NeutralLayout.INSTANCE).sha256()).isEqualTo(file.sha256());
        }
        assertThat(text(Batches.many(500))).startsWith("42,20261124,1001000100010001,500,126502.50\r\n");
    }

    @Test
    void headerTotalsThatDisagreeWithTheLinesAreRefused() {
        final String good = text(Batches.plain());
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace(",2,1234.57", ",3,1234.57"))))
                .hasMessage("line 1: the header counts 3 payees; there are 2 rows");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace(",2,1234.57", ",2,1234.58"))))
                .hasMessage("line 1: the header totals 1234.58; the rows sum to 1234.57");
        final BankBatchFile file = BankBatchFile.of(Batches.plain());
        final BankBatchFile.Header wrong = new BankBatchFile.Header(7, Batches.DATE, "1001", 2, 1);
        assertThatThrownBy(() -> new BankBatchFile(wrong, file.rows()))
                .hasMessage("the header totals 0.01; the rows sum to 1234.57");
    }

    @Test
    void theReaderSaysWhichLineIsWrongAndWhy() {
        final String good = text(Batches.plain());
        final String row2 = good.split("\r\n")[1];
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace("\r\n", "\n"))))
                .hasMessage("line 1: the line ends with LF alone; lines end with CR LF");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.substring(0, good.length() - 2))))
                .hasMessageStartingWith("line 3: the file ends inside this line");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace("Corner Books Ltd.", "\"Corner Books"))))
                .hasMessage("line 2: the quoted field opened at character 21 is not closed");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace("Corner Books Ltd.", "Corner \"Books\""))))
                .hasMessageStartingWith("line 2: '\"' at character 28 is inside a field that is not quoted");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace("Noodle House", "\"Noodle\" House"))))
                .hasMessage("line 3: character 29 follows a closing '\"'; only ',' or the end of the line may");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace(row2, row2 + ",extra"))))
                .hasMessage("line 2: 8 fields; a payee line has 7");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace(",1234.56,", ",1234.5,"))))
                .hasMessage("line 2: amount '1234.5' must be yuan with exactly two decimals, like 1234.56");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace("20261124", "20261131"))))
                .hasMessage("line 1: date '20261131' is not a day of the calendar");
        assertThatThrownBy(() -> NeutralLayout.read(bytes(good.replace(",0.01,", ",0.00,"))))
                .hasMessageStartingWith("line 3: amount must be from 0.01");
        final byte[] notUtf8 = bytes(good);
        notUtf8[good.indexOf("Noodle")] = (byte) 0xC3;
        assertThatThrownBy(() -> NeutralLayout.read(notUtf8))
                .hasMessage("line 3: bytes that are not UTF-8 at byte 21 of the line");
        assertThatThrownBy(() -> NeutralLayout.read(new byte[0])).hasMessage("the file is empty");
    }

    @Test
    void theCsvFieldsRoundTripWhateverTheyHold() {
        final List<String> fields = List.of("", "plain", "a,b", "\"", "\"\"x\"", " lead", "trail ", ",", "中,文");
        final String line = Csv.record(new StringBuilder(), fields.toArray(String[]::new)).toString();
        assertThat(Csv.split(line)).containsExactlyElementsOf(fields);
        assertThat(Csv.split("a,,")).containsExactly("a", "", "");
        assertThat(Csv.split("")).containsExactly("");
    }
}
