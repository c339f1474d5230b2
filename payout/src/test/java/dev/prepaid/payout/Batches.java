package dev.prepaid.payout;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Payout batches the tests write and read: plain, awkward text, the longest fields, many lines. */
final class Batches {
    static final OffsetDateTime CREATED = OffsetDateTime.of(2026, 11, 24, 9, 30, 15, 0, ZoneOffset.ofHours(8));
    static final LocalDate DATE = LocalDate.of(2026, 11, 24);
    static final Debtor CUSTODY = new Debtor("Prepaid Operator Ltd. custody account", "1001000100010001",
            "ICBC Shanghai Branch", "ICBKCNBJSHI", "102290000011");

    private Batches() {
    }

    static PayoutLine line(final long batchId, final String merchantId, final String payee, final long fen) {
        return PayoutLine.of(batchId, merchantId, payee, "6222020200998877665", "ICBC Shanghai Pudong", "102290000011",
                fen, "Settlement 2026-11-24");
    }

    /** Two merchants, plain ASCII. */
    static PayoutBatch plain() {
        return new PayoutBatch(7, DATE, CREATED, CUSTODY, List.of(
                line(7, "888310048990001", "Corner Books Ltd.", 123_456),
                line(7, "888310048990002", "Noodle House", 1)));
    }

    /** Names and texts with what XML and the delimited files must escape, and Chinese. */
    static PayoutBatch awkward() {
        return new PayoutBatch(8, DATE, CREATED, new Debtor("预付卡运营有限公司 & <备付金>", "1001-0001", "中国工商银行 \"上海\"",
                null, "102290000011"), List.of(
                PayoutLine.of(8, "M&1", "Tom & Jerry's <Shop>, \"Ltd\"", "62220202", "Bank, \"Quoted\" & <Angled>",
                        "102100000001", 100, "a,b \"c\" <d> & e"),
                PayoutLine.of(8, "M-2", "上海南京路百货有限公司", "6217001234567890123", "中国建设银行上海分行",
                        "105290000014", 999_99, "结算款 2026-11-24"),
                PayoutLine.of(8, "M3", " leading and trailing spaces ", "6225880011223344", "招商银行",
                        "308290003011", 50, "𠀀 supplementary 😀")));
    }

    /**
     * Every field at its longest: 140-character names and texts (one of them ending in a character that is two
     * UTF-16 units), 34-character accounts, a 35-character end-to-end id, the largest amount.
     */
    static PayoutBatch longest() {
        final long batchId = Long.MAX_VALUE;
        return new PayoutBatch(batchId, DATE, CREATED, new Debtor("债".repeat(140), "A".repeat(34), "行".repeat(140),
                "ICBKCNBJ", null), List.of(
                PayoutLine.of(batchId, "M".repeat(15), "名".repeat(138) + "𠀀", "9".repeat(34), "B".repeat(140),
                        "102290000011", PayoutLine.MAX_AMOUNT_FEN - 1, "用".repeat(140)),
                PayoutLine.of(batchId, "N".repeat(15), "x".repeat(140), "8".repeat(34), "b".repeat(140),
                        "102290000011", 1, "p".repeat(140))));
    }

    /** {@code n} merchants paid 1, 2, … n yuan and n fen. */
    static PayoutBatch many(final int n) {
        final List<PayoutLine> lines = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            lines.add(line(42, String.format("8883100%08d", i), "Merchant " + i, i * 100L + i));
        }
        return new PayoutBatch(42, DATE, CREATED, CUSTODY, lines);
    }

    static List<PayoutBatch> all() {
        return List.of(plain(), awkward(), longest(), many(500));
    }
}
