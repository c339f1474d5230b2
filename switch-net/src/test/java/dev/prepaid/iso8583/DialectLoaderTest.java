package dev.prepaid.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.command.PosKind;
import org.junit.jupiter.api.Test;

class DialectLoaderTest {
    private static final String SOURCE = "test.yaml";

    @Test
    void loadsTheShippedDialect() {
        final Dialect dialect = IsoTestSupport.dialect();
        assertThat(dialect.name).isEqualTo("cup-pos");
        assertThat(dialect.maxFrameLength).isEqualTo(2048);
        assertThat(dialect.tpduId).isEqualTo(0x60);
        assertThat(dialect.minFrameLength).isEqualTo(21);
        assertThat(dialect.mtiOffset).isEqualTo(11);

        int defined = 0;
        for (int f = 0; f <= 64; f++) {
            defined += dialect.field(f) == null ? 0 : 1;
        }
        assertThat(defined).isEqualTo(32);
        assertThat(dialect.field(1)).isNull();
        assertThat(dialect.field(5)).isNull();

        final FieldSpec entryMode = dialect.field(22);
        assertThat(entryMode.format).isEqualTo(Format.N);
        assertThat(entryMode.fixedLength).isEqualTo(3);
        assertThat(entryMode.leftAligned).isTrue();
        assertThat(dialect.field(23).leftAligned).isFalse();

        assertThat(dialect.field(2).lengthKind).isEqualTo(LengthKind.LL);
        assertThat(dialect.field(2).sensitivity).isEqualTo(Sensitivity.PAN);
        assertThat(dialect.field(35).format).isEqualTo(Format.Z);
        assertThat(dialect.field(35).decodeMax).isEqualTo(37);
        assertThat(dialect.field(36).lengthKind).isEqualTo(LengthKind.LLL);
        assertThat(dialect.field(60).encodeMax).isEqualTo(17);
        assertThat(dialect.field(60).decodeMax).isEqualTo(30);
        assertThat(dialect.field(54).encodeMax).isEqualTo(20);
        assertThat(dialect.field(54).decodeMax).isEqualTo(40);
        assertThat(dialect.field(63).decodeMax).isEqualTo(163);
        assertThat(dialect.field(62).sensitivityFor(810)).isEqualTo(Sensitivity.HIDDEN);
        assertThat(dialect.field(62).sensitivityFor(320)).isEqualTo(Sensitivity.NONE);
        assertThat(dialect.field(52).sensitivity).isEqualTo(Sensitivity.HIDDEN);
        assertThat(dialect.field(64).sensitivity).isEqualTo(Sensitivity.HIDDEN);

        final SubField networkCode = dialect.subField("60.3");
        assertThat(networkCode.field).isEqualTo(60);
        assertThat(networkCode.offset).isEqualTo(8);
        assertThat(networkCode.length).isEqualTo(3);
        assertThat(dialect.subField("61.3").offset).isEqualTo(12);
        assertThat(dialect.subField("48.foreignFlag").offset).isEqualTo(61);
        assertThat(dialect.subField("48.uploadCount").length).isEqualTo(4);
        assertThat(dialect.subField("54.amount").offset).isEqualTo(8);
        assertThat(dialect.subField("54.amount").repeatLength).isEqualTo(20);
        assertThatThrownBy(() -> dialect.subField("60.9")).hasMessageContaining("no sub-field '60.9'");

        final TransactionTable table = dialect.transactions();
        assertThat(table.size()).isEqualTo(17);
        for (final PosKind kind : PosKind.values()) {
            assertThat(table.byKind(kind)).as(kind.name()).isNotNull();
        }
        final Transaction echo = table.byName("ECHO_TEST");
        assertThat(echo.kind).isNull();
        assertThat(echo.mti).isEqualTo(820);
        assertThat(echo.responseMti).isEqualTo(830);
        final Transaction purchase = table.byKind(PosKind.PURCHASE);
        assertThat(purchase.mac).isTrue();
        assertThat(purchase.single(Transaction.PROCESSING_CODE)).isEqualTo(0);
        assertThat(purchase.single(Transaction.MESSAGE_TYPE_CODE)).isEqualTo(22);
        assertThat(purchase.responseMti).isEqualTo(210);
        assertThat(Bitmap.toString(purchase.setFields)).isEqualTo("[12, 13, 15, 32, 37, 38, 39, 44, 54, 63, 64]");
        assertThat(table.byKind(PosKind.SIGN_ON).criterion(Transaction.NETWORK_CODE)).containsExactly(1, 3, 4);
        assertThat(table.byKind(PosKind.REVERSAL).findsOriginal).isTrue();
    }

    // ------------------------------------------------------------------ syntax

    @Test
    void unknownKeyIsNamed() {
        expectError(edit("{number: 3,  name: processing code,", "{number: 3,  nmae: x, name: processing code,"),
                "test.yaml: fields[1].nmae: unknown key (line ");
        expectError(IsoTestSupport.dialectText() + "\ncolour: red\n", "test.yaml: colour: unknown key");
        expectError(edit("    request:  {required: [11, 41, 42, 60, 63]}", "    request:  {required: [11, 41, 42, 60, 63], mandatory: [2]}"),
                "transactions[0].request.mandatory: unknown key");
    }

    @Test
    void duplicateKeyIsNamed() {
        expectError(edit("{number: 3,  name: processing code,", "{number: 3,  name: processing code, name: again,"),
                "test.yaml: fields[1].name: duplicate key (line 28)");
    }

    @Test
    void wrongTypeIsNamed() {
        expectError(edit("{number: 4,  name: amount,                      format: n,   prefix: fixed, length: 12,",
                "{number: 4,  name: amount,                      format: n,   prefix: fixed, length: twelve,"),
                "test.yaml: fields[2].length: 'twelve' is not an integer");
        expectError(edit("    mac: true\n    request:\n      required: [3, 4, 11, 22, 25, 41, 42, 49, 60, 64]\n",
                "    mac: maybe\n    request:\n      required: [3, 4, 11, 22, 25, 41, 42, 49, 60, 64]\n"),
                "transactions[1].mac: 'maybe' is not true or false");
    }

    @Test
    void emptyFileIsRejected() {
        expectError("", "test.yaml: the file is empty");
        expectError("# nothing\n", "test.yaml: the file is empty");
    }

    // ------------------------------------------------------------------ frame

    @Test
    void frameParametersAreChecked() {
        expectError(edit("  maxLength: 2048", "  maxLength: 20"),
                "test.yaml: frame.maxLength: 20 is out of range 21..65535");
        expectError(edit("  tpduId: \"60\"", "  tpduId: \"6\""), "frame.tpduId: '6' is not two hex digits");
        expectError(edit("  lengthPrefixBytes: 2 ", "  lengthPrefixBytes: 4 "),
                "frame.lengthPrefixBytes: 4 is not supported, expected 2");
        expectError(edit("  headerLength: 6 ", "  headerLength: 9 "), "frame.headerLength: 9 is out of range 0..8");
        expectError(edit("  headerLength: 6 ", "  "), "frame.headerLength: missing");
    }

    // ------------------------------------------------------------------ fields

    @Test
    void duplicateFieldNumber() {
        expectError(edit("{number: 4,  name: amount,", "{number: 3,  name: amount,"),
                "test.yaml: fields[2].number: 3 is defined twice");
    }

    @Test
    void impossibleLengths() {
        expectError(edit("encodeMax: 37,  decodeMax: 37", "encodeMax: 37,  decodeMax: 120"),
                "test.yaml: fields[13] (field 35).decodeMax: 120 is more than an LL prefix can express (99)");
        expectError(edit("encodeMax: 37,  decodeMax: 37", "encodeMax: 37,  decodeMax: 30"),
                "fields[13] (field 35).decodeMax: 30 is less than encodeMax 37");
        expectError(edit("encodeMax: 37,  decodeMax: 37", "encodeMax: 0,  decodeMax: 37"),
                "fields[13] (field 35).encodeMax: 0 is impossible, expected at least 1");
        expectError(edit("prefix: fixed, length: 12, align: right}", "prefix: fixed, length: 0, align: right}"),
                "fields[2] (field 4).length: 0 is impossible, expected at least 1");
        expectError(edit("prefix: fixed, length: 12, align: right}", "prefix: fixed, length: 5000, align: right}"),
                "fields[2] (field 4).length: needs 2500 bytes, more than a frame of frame.maxLength can hold");
        expectError(edit("encodeMax: 512, decodeMax: 512", "encodeMax: 512, decodeMax: 1000"),
                "(field 62).decodeMax: 1000 is more than an LLL prefix can express (999)");
        expectError(edit("{number: 2,  name: PAN,", "{number: 1,  name: PAN,"),
                "fields[0].number: 1 is the secondary bitmap, which this codec does not support");
        expectError(edit("{number: 2,  name: PAN,", "{number: 65,  name: PAN,"),
                "fields[0].number: 65 is out of range 2..64");
    }

    @Test
    void fieldKeysAreChecked() {
        expectError(edit("{number: 3,  name: processing code,             format: n,",
                "{number: 3,  name: processing code,             format: x,"),
                "fields[1] (field 3).format: 'x' is not one of n, z, an, ans, b");
        expectError(edit("{number: 3,  name: processing code,             format: n,   prefix: fixed,",
                "{number: 3,  name: processing code,             format: n,   prefix: LLLL,"),
                "fields[1] (field 3).prefix: 'LLLL' is not one of fixed, LL, LLL");
        expectError(edit("prefix: fixed, length: 12, align: right}", "prefix: fixed, length: 12}"),
                "fields[2] (field 4).align: missing");
        expectError(edit("prefix: fixed, length: 12, align: right}", "prefix: fixed, length: 12, align: centre}"),
                "fields[2] (field 4).align: 'centre' is not right or left");
        expectError(edit("{number: 37, name: RRN,                         format: an,  prefix: fixed, length: 12}",
                "{number: 37, name: RRN,                         format: an,  prefix: fixed, length: 12, align: left}"),
                "(field 37).align: not allowed here: only fixed n and z fields are aligned");
        expectError(edit("format: n,   prefix: LL,  prefixCounts: digits, encodeMax: 19",
                "format: n,   prefix: LL,  prefixCounts: bytes, encodeMax: 19"),
                "fields[0] (field 2).prefixCounts: 'bytes' is not supported for format n, expected digits");
        expectError(edit("format: n,   prefix: LL,  prefixCounts: digits, encodeMax: 19",
                "format: n,   prefix: LL,  encodeMax: 19"), "fields[0] (field 2).prefixCounts: missing");
        expectError(edit("format: n,   prefix: LL,  prefixCounts: digits, encodeMax: 19",
                "format: n,   prefix: LL,  prefixCounts: digits, length: 19, encodeMax: 19"),
                "(field 2).length: not allowed here: a variable field has encodeMax and decodeMax, not a length");
        expectError(edit("prefix: fixed, length: 12, align: right}", "prefix: fixed, length: 12, align: right, decodeMax: 14}"),
                "(field 4).decodeMax: not allowed here: a fixed field has a length, not maxima");
        expectError(edit("decodeMax: 19, sensitive: pan}", "decodeMax: 19, sensitive: secret}"),
                "(field 2).sensitive: 'secret' is not one of none, pan, hidden");
        expectError(edit("sensitiveIn: [\"0810\"]", "sensitiveIn: [\"810\"]"),
                "(field 62).sensitiveIn[0]: '810' is not 4 digits");
    }

    @Test
    void layoutsAreChecked() {
        expectError(edit("        length: 62\n", "        length: 61\n"),
                "fields[21] (field 48).layouts[0].length: 61 is not the sum of the sub-field lengths (62)");
        expectError(edit("{id: \"60.4\", name: terminal capability,", "{id: \"60.1\", name: terminal capability,"),
                "(field 60).layouts[0].subfields[3].id: '60.1' is defined twice");
        expectError(edit("{id: \"60.5\", name: IC condition,             format: n, length: 1}",
                "{id: \"60.5\", name: IC condition,             format: n, length: 20}"),
                "(field 60).layouts[0].subfields[4].length: 20 digits do not fit a long, max 18");
        expectError(edit("{id: \"61.3\", name: original date,    format: n, length: 4}",
                "{id: \"61.3\", name: original date,    format: n, length: 18}"),
                "(field 61).layouts[0].subfields: end at 30, past the field's maximum 29");
        expectError(edit("{id: 54.sign,        name: sign C/D,     format: an, length: 1}",
                "{id: 54.sign,        name: sign C/D,     format: b, length: 1}"),
                "(field 54).layouts[0].subfields[3].format: 'b' is not one of n, an, ans");
        expectError(edit("{id: \"61.3\", name: original date,    format: n, length: 4}",
                "{id: \"61.3\", name: original date,    format: an, length: 4}"),
                "(field 61).layouts[0].subfields[2].format: 'an' cannot sit in a n field (its digits are BCD)");
    }

    // ------------------------------------------------------------------ match and transactions

    @Test
    void matchKeysAreChecked() {
        expectError(edit("  messageTypeCode: \"60.1\"", "  messageTypeCode: \"60.9\""),
                "test.yaml: match.messageTypeCode: '60.9' is neither a field number nor a sub-field id");
        expectError(edit("  processingCode: \"3\"", "  processingCode: \"5\""),
                "match.processingCode: field 5 is not defined in fields");
        expectError(edit("  processingCode: \"3\"", "  processingCode: \"60\""),
                "match.processingCode: field 60 must be fixed n/z/an/ans of at most 18 characters to be a key");
    }

    @Test
    void transactionsAreChecked() {
        expectError(edit("  - name: PURCHASE\n", "  - name: PURCHAS\n"),
                "test.yaml: transactions[1] (PURCHAS).name: 'PURCHAS' is not a PosKind (set ledger: false");
        expectError(edit("  - name: REFUND\n", "  - name: PURCHASE\n"),
                "transactions[3].name: 'PURCHASE' is defined twice");
        expectError(edit("    processingCode: [\"000000\"]\n    conditionCode: [\"00\"]\n    messageTypeCode: [\"22\"]",
                "    processingCode: [\"00000\"]\n    conditionCode: [\"00\"]\n    messageTypeCode: [\"22\"]"),
                "transactions[1] (PURCHASE).processingCode: '00000' is not 6 digits");
        expectError(edit("    mti: \"0200\"\n    processingCode: [\"000000\"]\n    conditionCode: [\"00\"]",
                "    mti: \"200\"\n    processingCode: [\"000000\"]\n    conditionCode: [\"00\"]"),
                "transactions[1] (PURCHASE).mti: '200' is not 4 digits");
        expectError(edit("    networkCode: [\"301\"]", "    networkCode: [\"002\"]"),
                "transactions[16] (ECHO_TEST): matches the same requests as transactions[15] (SIGN_OFF): MTI 0820");
        expectError(edit("    networkCode: [\"001\", \"003\", \"004\"]", "    networkCode: [\"001\", \"003\", \"001\"]"),
                "transactions[0] (SIGN_ON).networkCode: '001' is listed twice");
        expectError(edit("    messageTypeCode: [\"25\"]", "    messageTypeCode: [\"23\"]"),
                "transactions[11] (REVERSAL): cannot tell its original apart: PURCHASE_VOID and REFUND");
        expectError(edit("    processingCode: original\n    conditionCode: original",
                "    processingCode: [original, \"000000\"]\n    conditionCode: original"),
                "transactions[11] (REVERSAL).processingCode: 'original' cannot be mixed with values");
    }

    @Test
    void transactionFieldListsAreChecked() {
        expectError(edit("    request:  {required: [11, 41, 42, 60, 63]}", "    request:  {required: [5, 11, 41, 42, 60, 63]}"),
                "transactions[0] (SIGN_ON).request.required[0]: 5 is not a field defined in fields");
        expectError(edit("    request:  {required: [11, 41, 42, 60, 63]}", "    request:  {required: [11, 41, 42, 60, 63, 11]}"),
                "transactions[0] (SIGN_ON).request.required[5]: 11 is listed twice");
        expectError(edit("    request:  {required: [11, 41, 42, 60, 63]}", "    request:  {required: [11, 41, 42, 60, 63], optional: [63]}"),
                "transactions[0] (SIGN_ON).request.optional[0]: 63 is already listed in another list of this transaction");
        expectError(edit("    request:  {required: [11, 41, 42, 60, 63]}", "    request:  {required: [11, 41, 42, 63]}"),
                "transactions[0] (SIGN_ON).request.required: lacks field 60, which carries messageTypeCode");
        expectError(edit("    request:  {required: [11, 41, 42, 60, 63]}", "    request:  {optional: [11]}"),
                "transactions[0] (SIGN_ON).request.required: missing");
        expectError(edit("    mac: true\n    request:\n      required: [3, 4, 11, 22, 25, 41, 42, 49, 60, 64]\n",
                "    mac: false\n    request:\n      required: [3, 4, 11, 22, 25, 41, 42, 49, 60, 64]\n"),
                "transactions[1] (PURCHASE).request: lists 64 although mac is false");
        expectError(edit("      set: [12, 13, 15, 32, 37, 38, 39, 44, 54, 63, 64]\n\n  - name: PURCHASE_VOID",
                "      set: [12, 13, 15, 32, 37, 38, 39, 44, 54, 63]\n\n  - name: PURCHASE_VOID"),
                "transactions[1] (PURCHASE).response.set: lacks 64 although mac is true");
        expectError(edit("    response: {mti: \"0810\", echo: [11, 41, 42], set: [12, 13, 32, 37, 39, 60, 62, 63]}",
                "    response: {mti: \"0810\", echo: [11, 41, 42], set: [11, 12, 13, 32, 37, 39, 60, 62, 63]}"),
                "transactions[0] (SIGN_ON).response.set[0]: 11 is already listed in another list of this transaction");
    }

    @Test
    void everyErrorIsOneLine() {
        final String[] broken = {
            edit("{number: 3,  name: processing code,", "{number: 3,  nmae: x, name: processing code,"),
            edit("{number: 3,  name: processing code,", "{number: 3,  name: processing code, name: again,"),
            edit("prefix: fixed, length: 12, align: right}", "prefix: fixed, length: twelve, align: right}"),
            "fields: [\n",
        };
        for (final String yaml : broken) {
            assertThatThrownBy(() -> Dialect.parse(yaml, SOURCE))
                    .isInstanceOf(DialectException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("test.yaml: "));
        }
    }

    @Test
    void editingTheFileChangesTheCodec() {
        final Dialect changed = Dialect.parse(edit("{number: 37, name: RRN,                         format: an,  prefix: fixed, length: 12}",
                "{number: 37, name: RRN,                         format: n,   prefix: fixed, length: 12, align: right}")
                .replace("    processingCode: [\"630000\"]", "    processingCode: [\"640000\"]"), SOURCE);
        assertThat(changed.field(37).format).isEqualTo(Format.N);
        assertThat(changed.transactions().byKind(PosKind.RECHARGE).single(Transaction.PROCESSING_CODE)).isEqualTo(640000);
    }

    private static String edit(final String from, final String to) {
        final String text = IsoTestSupport.dialectText();
        final int at = text.indexOf(from);
        assertThat(at).as("dialect text contains %s", from).isGreaterThanOrEqualTo(0);
        assertThat(text.indexOf(from, at + 1)).as("dialect text contains %s once", from).isLessThan(0);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private static void expectError(final String yaml, final String expected) {
        assertThatThrownBy(() -> Dialect.parse(yaml, SOURCE))
                .isInstanceOf(DialectException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                .hasMessageContaining(expected);
    }
}
