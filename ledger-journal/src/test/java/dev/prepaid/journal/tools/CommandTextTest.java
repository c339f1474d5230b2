package dev.prepaid.journal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.time.ZoneId;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

class CommandTextTest {
    @Test
    void cardNumbersInFreeTextAreMasked() {
        assertThat(CommandText.scrub("card 8888000900000012 frozen")).isEqualTo("card 888800******0012 frozen");
        assertThat(CommandText.scrub("call 8888 0009 0000 0012.")).isEqualTo("call 8888 00** **** 0012.");
        assertThat(CommandText.scrub("8888-0009-0000-0012")).isEqualTo("8888-00**-****-0012");
        assertThat(CommandText.scrub("6222000011112222333")).isEqualTo("622200*********2333");
        // Too short or too long for a card number: left alone.
        assertThat(CommandText.scrub("rrn 000000001203, 12 items")).isEqualTo("rrn 000000001203, 12 items");
        assertThat(CommandText.scrub("12345678901234567890")).isEqualTo("12345678901234567890");
        assertThat(CommandText.scrub("")).isEmpty();
    }

    @Test
    void amountsAreYuanWithTwoDecimals() {
        assertThat(CommandText.yuan(12_345)).isEqualTo("123.45");
        assertThat(CommandText.yuan(5)).isEqualTo("0.05");
        assertThat(CommandText.yuan(-5)).isEqualTo("-0.05");
        assertThat(CommandText.yuan(0)).isEqualTo("0.00");
        assertThat(CommandText.yuan(Long.MIN_VALUE)).isEqualTo("-92233720368547758.08");
    }

    @Test
    void adminCommandsShowEveryFieldButSecretsAndMaskPersonalNumbers() {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final CommandText text = new CommandText(ZoneId.of("UTC"));
        int length = RecordCodec.encode(new Envelope("admin", 42, "10.0.0.9", "new auditor"),
                new AdminCommand.UpsertOperator("a1", "A One", Role.AUDITOR, "", OperatorStatus.ACTIVE, "hash-value"), buffer, 0);
        StringBuilder line = new StringBuilder();
        text.appendLine(line, 7, 0, buffer, 0, length);
        assertThat(line.toString()).isEqualTo("7 1970-01-01T00:00:00.000Z UPSERT_OPERATOR by admin request=42 source=10.0.0.9 "
                + "note=\"new auditor\": operatorId=a1 name=\"A One\" role=AUDITOR status=ACTIVE passwordHash=<hidden>");

        length = RecordCodec.encode(new Envelope("clerk", 1, "counter", ""), new AdminCommand.SellCards("8888000900000012", 1,
                10_000, dev.prepaid.card.PaymentMethod.CASH, dev.prepaid.card.SalesChannel.COUNTER,
                dev.prepaid.card.BuyerKind.PERSON, "Zhang San", "ID", "110101199003074512", "Zhang San", "ID",
                "110101199003074512", "13800138000"), buffer, 0);
        line = new StringBuilder();
        text.appendCommand(line, buffer, 0, length);
        assertThat(line.toString()).isEqualTo("SELL_CARDS by clerk request=1 source=counter: firstPan=888800******0012 count=1 "
                + "faceValue=100.00 payment=CASH channel=COUNTER buyerKind=PERSON buyerName=\"Zhang San\" buyerIdType=ID "
                + "buyerIdNumber=**************4512 holderName=\"Zhang San\" holderIdType=ID holderIdNumber=**************4512 "
                + "holderPhone=*******8000");

        length = RecordCodec.encode(new Envelope("finance", 2, "console", ""), new AdminCommand.RequestAdjustment(
                AdminCommand.AdjustmentTarget.CARD, "8888000900000012", -150, AdminCommand.CounterAccount.CUSTODY), buffer, 0);
        line = new StringBuilder();
        text.appendCommand(line, buffer, 0, length);
        assertThat(line.toString()).isEqualTo("REQUEST_ADJUSTMENT by finance request=2 source=console: target=CARD "
                + "targetId=888800******0012 amount=-1.50 counter=CUSTODY");
    }

    @Test
    void aCutOverThatFoundTheBooksOffSaysSo() {
        final dev.prepaid.command.Outcome outcome = new dev.prepaid.command.Outcome();
        outcome.riskFlags = dev.prepaid.command.Outcome.FLAG_BOOKS_OUT_OF_BALANCE;
        final StringBuilder out = new StringBuilder();
        CommandText.appendOutcome(out, dev.prepaid.command.CommandType.CUTOVER.code, outcome);
        assertThat(out.toString()).contains("risk=BOOKS_OUT_OF_BALANCE");
        outcome.riskFlags |= dev.prepaid.command.Outcome.FLAG_LARGE_AMOUNT;
        final StringBuilder both = new StringBuilder();
        CommandText.appendOutcome(both, dev.prepaid.command.CommandType.CUTOVER.code, outcome);
        assertThat(both.toString()).contains("risk=LARGE_AMOUNT|BOOKS_OUT_OF_BALANCE");
    }
}
