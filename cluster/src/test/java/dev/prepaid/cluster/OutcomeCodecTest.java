package dev.prepaid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class OutcomeCodecTest {
    @Test
    void everyFieldOfAnOutcomeCrossesTheEgressAsTheReplyStageWouldSeeIt() {
        final Outcome out = new Outcome();
        out.reason = Reason.INSUFFICIENT_BALANCE;
        out.duplicate = true;
        out.rrn = 123_456_789_012L;
        out.authCode = 654_321;
        out.availableBalance = 10_001;
        out.ledgerBalance = 10_002;
        out.cardAmount = 303;
        out.discount = 4;
        out.fee = 5;
        out.points = 6;
        out.riskFlags = Outcome.FLAG_LARGE_AMOUNT | Outcome.FLAG_MANY_DECLINES;
        out.businessDate = 20_261_207;
        out.batch = 17;
        out.settlementFlag = 2;
        out.issuerInstitutionId = "00020000";
        out.value1 = -7;
        out.value2 = Long.MAX_VALUE;
        out.detail = "balance 3.00 < amount 3.03 — décliné";
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[OutcomeCodec.maxLength(out) + 8]);
        final int length = OutcomeCodec.encode(out, buffer, 8);
        assertThat(length).isLessThanOrEqualTo(OutcomeCodec.maxLength(out));

        final Outcome back = new Outcome();
        OutcomeCodec.decode(buffer, 8, back);
        assertThat(back).usingRecursiveComparison().isEqualTo(out);
    }

    @Test
    void absentStringsStayAbsent() {
        final Outcome out = new Outcome();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        OutcomeCodec.encode(out, buffer, 0);
        final Outcome back = new Outcome();
        back.detail = "left over";
        OutcomeCodec.decode(buffer, 0, back);
        assertThat(back.issuerInstitutionId).isNull();
        assertThat(back.detail).isNull();
        assertThat(back).usingRecursiveComparison().isEqualTo(out);
    }
}
