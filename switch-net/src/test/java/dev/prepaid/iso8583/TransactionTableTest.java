package dev.prepaid.iso8583;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.PosKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Recognising a request's transaction from the table of §4, as data. */
class TransactionTableTest {
    private static final int ABSENT = -1;

    private final Dialect dialect = IsoTestSupport.dialect();
    private final TransactionTable table = dialect.transactions();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @Test
    void everyRowIsRecognised() {
        for (int i = 0; i < table.size(); i++) {
            final Transaction row = table.get(i);
            for (final int networkCode : row.criterion(Transaction.NETWORK_CODE)) {
                final IsoMessage request = request(dialect, row.mti, valueOf(row, Transaction.PROCESSING_CODE),
                        valueOf(row, Transaction.CONDITION_CODE), valueOf(row, Transaction.MESSAGE_TYPE_CODE), networkCode);
                assertThat(table.find(request)).as(row.name + " 60.3=" + networkCode).isSameAs(row);
            }
        }
    }

    @Test
    void theSpecTable() {
        expect(800, ABSENT, ABSENT, 0, 1, "SIGN_ON", 810, false);
        expect(800, ABSENT, ABSENT, 0, 3, "SIGN_ON", 810, false);
        expect(800, ABSENT, ABSENT, 0, 4, "SIGN_ON", 810, false);
        expect(200, 0, 0, 22, 0, "PURCHASE", 210, true);
        expect(200, 200000, 0, 23, 0, "PURCHASE_VOID", 210, true);
        expect(220, 200000, 0, 25, 0, "REFUND", 230, true);
        expect(200, 310000, 0, 1, 0, "BALANCE_INQUIRY", 210, true);
        expect(200, 630000, 0, 48, 0, "RECHARGE", 210, true);
        expect(200, 170000, 0, 51, 0, "RECHARGE_VOID", 210, true);
        expect(100, 30000, 6, 10, 0, "PREAUTH", 110, true);
        expect(100, 200000, 6, 11, 0, "PREAUTH_CANCEL", 110, true);
        expect(200, 0, 6, 20, 0, "COMPLETION", 210, true);
        expect(200, 200000, 6, 21, 0, "COMPLETION_VOID", 210, true);
        expect(400, 0, 0, 22, 0, "REVERSAL", 410, true);
        expect(500, ABSENT, ABSENT, 0, 201, "BATCH_SETTLEMENT", 510, false);
        expect(320, 0, 0, 22, 201, "BATCH_UPLOAD", 330, false);
        expect(320, ABSENT, ABSENT, 0, 202, "BATCH_UPLOAD_END", 330, false);
        expect(320, ABSENT, ABSENT, 0, 207, "BATCH_UPLOAD_END", 330, false);
        expect(820, ABSENT, ABSENT, 0, 2, "SIGN_OFF", 830, false);
        expect(820, ABSENT, ABSENT, 0, 301, "ECHO_TEST", 830, false);
        assertThat(table.byName("ECHO_TEST").kind).isNull();
    }

    @Test
    void unknownCombinationsAreNull() {
        assertThat(table.find(request(dialect, 200, 990000, 0, 22, 0))).as("unknown processing code").isNull();
        assertThat(table.find(request(dialect, 200, 0, 6, 22, 0))).as("purchase with condition 06").isNull();
        assertThat(table.find(request(dialect, 200, 0, 0, 22, 1))).as("purchase with 60.3 = 001").isNull();
        assertThat(table.find(request(dialect, 200, 0, 0, ABSENT, ABSENT))).as("no field 60").isNull();
        assertThat(table.find(request(dialect, 200, ABSENT, 0, 22, 0))).as("no field 3").isNull();
        assertThat(table.find(request(dialect, 300, 0, 0, 22, 0))).as("unknown MTI").isNull();
        assertThat(table.find(request(dialect, 210, 0, 0, 22, 0))).as("a response MTI").isNull();
        assertThat(table.find(request(dialect, 800, ABSENT, ABSENT, 0, 2))).as("sign-on with 60.3 = 002").isNull();
        assertThat(table.find(request(dialect, 820, ABSENT, ABSENT, 0, 999))).isNull();
    }

    @Test
    void reversalFindsItsOriginal() {
        int candidates = 0;
        for (int i = 0; i < table.size(); i++) {
            final Transaction row = table.get(i);
            if (row.findsOriginal || row.kind == null || !row.constrains(Transaction.PROCESSING_CODE)) {
                continue;
            }
            candidates++;
            final IsoMessage reversal = request(dialect, 400, valueOf(row, Transaction.PROCESSING_CODE),
                    valueOf(row, Transaction.CONDITION_CODE), valueOf(row, Transaction.MESSAGE_TYPE_CODE), 0);
            final Transaction found = table.find(reversal);
            assertThat(found.kind).isEqualTo(PosKind.REVERSAL);
            assertThat(table.findOriginal(reversal, found)).as(row.name).isSameAs(row);
        }
        assertThat(candidates).isEqualTo(10);
        final IsoMessage unknown = request(dialect, 400, 0, 0, 99, 0);
        assertThat(table.find(unknown).kind).isEqualTo(PosKind.REVERSAL);
        assertThat(table.findOriginal(unknown, table.find(unknown))).isNull();
        final IsoMessage purchase = request(dialect, 200, 0, 0, 22, 0);
        assertThat(table.findOriginal(purchase, table.find(purchase))).as("a purchase has no original").isNull();
    }

    @Test
    void batchUploadFindsItsOriginalWithoutField25() {
        final IsoMessage upload = request(dialect, 320, 200000, ABSENT, 25, 201);
        final Transaction found = table.find(upload);
        assertThat(found.kind).isEqualTo(PosKind.BATCH_UPLOAD);
        assertThat(table.findOriginal(upload, found).kind).isEqualTo(PosKind.REFUND);
        final IsoMessage completion = request(dialect, 320, 0, ABSENT, 20, 201);
        assertThat(table.findOriginal(completion, table.find(completion)).kind).isEqualTo(PosKind.COMPLETION);
    }

    @Test
    void requestAndResponseFields() {
        final Transaction purchase = table.byKind(PosKind.PURCHASE);
        final long complete = Bitmap.of(2, 3, 4, 11, 22, 25, 41, 42, 49, 60, 64);
        assertThat(purchase.missingField(complete)).isZero();
        assertThat(purchase.missingField(Bitmap.without(complete, 2))).as("neither 2 nor 35").isEqualTo(2);
        assertThat(purchase.missingField(Bitmap.without(complete, 2) | Bitmap.bit(35))).isZero();
        assertThat(purchase.missingField(Bitmap.without(complete, 64))).isEqualTo(64);
        assertThat(purchase.missingField(Bitmap.without(Bitmap.without(complete, 4), 11))).isEqualTo(4);
        assertThat(purchase.unexpectedField(complete)).isZero();
        assertThat(purchase.unexpectedField(complete | Bitmap.bit(52) | Bitmap.bit(53) | Bitmap.bit(26))).isZero();
        assertThat(purchase.unexpectedField(complete | Bitmap.bit(61))).isEqualTo(61);
        assertThat(purchase.echoes(4)).isTrue();
        assertThat(purchase.sets(4)).isFalse();
        assertThat(purchase.sets(54)).isTrue();
        assertThat(purchase.sets(39)).isTrue();
        assertThat(Bitmap.toString(purchase.responseFields())).isEqualTo(
                "[2, 3, 4, 11, 12, 13, 14, 15, 22, 23, 25, 32, 37, 38, 39, 41, 42, 44, 49, 54, 60, 63, 64]");

        final Transaction reversal = table.byKind(PosKind.REVERSAL);
        assertThat(reversal.missingField(Bitmap.of(3, 11, 25, 39, 41, 42, 60, 64))).isZero();
        assertThat(reversal.unexpectedField(Bitmap.of(3, 11, 25, 39, 41, 42, 52, 60, 64))).as("no PIN in a 0400").isEqualTo(52);
        final Transaction signOn = table.byKind(PosKind.SIGN_ON);
        assertThat(signOn.mac).isFalse();
        assertThat(signOn.sets(62)).isTrue();
        assertThat(signOn.sets(60)).as("60.2 = batch").isTrue();
        final Transaction balance = table.byKind(PosKind.BALANCE_INQUIRY);
        assertThat(balance.sets(54)).isTrue();
        assertThat(balance.sets(38)).isFalse();
    }

    @Test
    void theTableIsData() {
        final String text = IsoTestSupport.dialectText()
                .replace("    processingCode: [\"630000\"]", "    processingCode: [\"640000\"]");
        final Dialect changed = Dialect.parse(text, "changed.yaml");
        assertThat(changed.transactions().find(request(changed, 200, 630000, 0, 48, 0))).isNull();
        assertThat(changed.transactions().find(request(changed, 200, 640000, 0, 48, 0)).kind).isEqualTo(PosKind.RECHARGE);
        assertThat(table.find(request(dialect, 200, 630000, 0, 48, 0)).kind).isEqualTo(PosKind.RECHARGE);
    }

    @Test
    void findByValues() {
        assertThat(table.find(200, 0, 0, 22, 0).kind).isEqualTo(PosKind.PURCHASE);
        assertThat(table.find(200, 0, 0, 22, -1)).isNull();
    }

    private void expect(final int mti, final int processingCode, final int conditionCode, final int messageTypeCode,
            final int networkCode, final String name, final int responseMti, final boolean mac) {
        final Transaction t = table.find(request(dialect, mti, processingCode, conditionCode, messageTypeCode, networkCode));
        assertThat(t).as(name).isNotNull();
        assertThat(t.name).isEqualTo(name);
        assertThat(t.responseMti).isEqualTo(responseMti);
        assertThat(t.mac).isEqualTo(mac);
        if (t.kind != null) {
            assertThat(t.kind.name()).isEqualTo(name);
        }
    }

    private static int valueOf(final Transaction row, final int key) {
        return row.constrains(key) ? row.criterion(key)[0] : 0;
    }

    /** A request with just the key fields (−1: absent). */
    private IsoMessage request(final Dialect d, final int mti, final int processingCode, final int conditionCode,
            final int messageTypeCode, final int networkCode) {
        final IsoWriter w = new IsoWriter(d).wrapRequest(buffer, 0, buffer.capacity(), 3, 0, 0x603100310000L, mti);
        if (processingCode >= 0) {
            w.putNumeric(3, processingCode);
        }
        w.putNumeric(11, 1);
        if (conditionCode >= 0) {
            w.putNumeric(25, conditionCode);
        }
        w.putAscii(41, "TERM0001").putAscii(42, "MERCHANT0000001");
        if (messageTypeCode >= 0) {
            w.beginField(60).putSubField(d.subField("60.1"), messageTypeCode).putSubField(d.subField("60.2"), 1);
            if (networkCode >= 0) {
                w.putSubField(d.subField("60.3"), networkCode);
            }
            w.endField();
        }
        final int length = w.finish();
        assertThat(w.ok()).as("%s", w.error()).isTrue();
        final IsoMessage m = new IsoMessage(d);
        assertThat(m.wrap(buffer, 0, length)).as("%s", m.error()).isTrue();
        return m;
    }
}
