package dev.prepaid.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.fee.FeeMethod;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final Envelope envelope = new Envelope("alice", 123456789L, "10.0.0.7:51234", "monthly promotion");

    private AdminCommand roundTrip(final AdminCommand command) {
        final int length = RecordCodec.encode(envelope, command, buffer, 0);
        assertThat(RecordCodec.decodeEnvelope(buffer, 0, length)).isEqualTo(envelope);
        return RecordCodec.decodeCommand(buffer, 0, length);
    }

    @Test
    void commandsOfEveryShapeRoundTrip() {
        final AdminCommand[] commands = {
            new SellCards("8888000100000001", 3, -1, PaymentMethod.BANK_TRANSFER, SalesChannel.AGENT, BuyerKind.ORGANISATION,
                    "北京某公司", "USCC", "91110000", "", "", "", ""),
            new PutFeeRule(9, "898310048990001", 0, 8, 20260101, 0, 3, FeeMethod.PERCENT_MIN_CAP, 3_500, 0, 1, 1_300),
            new Cutover(20261124),
            new ExpireHolds(),
            new RequestAdjustment(AdjustmentTarget.MERCHANT, "M", -5, CounterAccount.FEE_INCOME),
            new SetParameter("balanceCapNamed", Long.MAX_VALUE / 8),
        };
        for (final AdminCommand command : commands) {
            assertThat(roundTrip(command)).isEqualTo(command);
        }
    }

    @Test
    void decodeErrorsNameTheField() {
        final int length = RecordCodec.encode(envelope, new Cutover(20261124), buffer, 0);
        assertThatThrownBy(() -> RecordCodec.decodeCommand(buffer, 0, length - 2))
                .isInstanceOf(RecordCodec.CodecException.class).hasMessageContaining("Cutover.newBusinessDate");
        buffer.putShort(2, (short) 9, CommandHeader.ORDER);
        assertThatThrownBy(() -> RecordCodec.decodeCommand(buffer, 0, length))
                .hasMessageContaining("version 9");
        final int full = RecordCodec.encode(envelope, new Cutover(20261124), buffer, 0);
        assertThatThrownBy(() -> RecordCodec.decodeCommand(buffer, 0, full + 1)).hasMessageContaining("after its last field");
    }

    @Test
    void encodeRefusesWhatItCannotCarry() {
        assertThatThrownBy(() -> RecordCodec.encode(envelope, new FreezeCard("x".repeat(256)), buffer, 0))
                .hasMessageContaining("FreezeCard.pan").hasMessageContaining("255");
    }

    @Test
    void anUnknownEnumNameIsAnError() {
        final int length = RecordCodec.encode(envelope, new SetCalendarDay(20260101, dev.prepaid.clearing.DayKind.HOLIDAY),
                buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        final String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("HOLIDAY", "HOLIDAX");
        final org.agrona.concurrent.UnsafeBuffer changed = new org.agrona.concurrent.UnsafeBuffer(
                text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> RecordCodec.decodeCommand(changed, 0, length)).hasMessageContaining("HOLIDAX");
    }

    /** A record declared in another order than its layout: the @Field numbers decide. */
    record Reordered(@Field(3) boolean third, @Field(1) String first, @Field(2) long second) {
    }

    record Unnumbered(@Field(1) String a, int b) {
    }

    record NumberedTwice(@Field(1) String a, @Field(1) int b) {
    }

    enum PlainEnum { A }

    record WithPlainEnum(@Field(1) PlainEnum value) {
    }

    @Test
    void theLayoutFollowsTheFieldNumbersNotTheDeclarationOrder() {
        assertThat(RecordCodec.describe(Reordered.class))
                .containsExactly("first string (u8 length + UTF-8)", "second i64", "third u8 (0/1)");
    }

    @Test
    void aRecordWhoseLayoutIsNotStatedIsRefused() {
        assertThatThrownBy(() -> RecordCodec.describe(Unnumbered.class))
                .hasMessageContaining("Unnumbered.b has no @Field number");
        assertThatThrownBy(() -> RecordCodec.describe(NumberedTwice.class))
                .hasMessageContaining("must be numbered 1..2, each once");
        assertThatThrownBy(() -> RecordCodec.describe(WithPlainEnum.class))
                .hasMessageContaining("enum without stored names");
    }

    /** Every command type (and the envelope) states its whole layout; the codec would refuse it otherwise. */
    @Test
    void everyCommandTypeHasACompleteLayout() {
        assertThat(RecordCodec.describe(Envelope.class)).hasSize(4);
        for (final CommandType type : CommandType.values()) {
            if (type.recordClass != null) {
                @SuppressWarnings("unchecked")
                final Class<? extends Record> record = (Class<? extends Record>) (Class<?>) type.recordClass;
                assertThat(RecordCodec.describe(record)).as(type.name())
                        .hasSize(record.getRecordComponents().length);
            }
        }
    }

    /** Enum components are stored by their stored name: a constant renamed in Java would still be read. */
    @Test
    void enumsAreStoredByTheirStoredName() {
        final int length = RecordCodec.encode(envelope, new RequestAdjustment(AdjustmentTarget.CARD, "p", 1,
                CounterAccount.PROMOTION_EXPENSE), buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        final String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains(AdjustmentTarget.CARD.storedName()).contains(CounterAccount.PROMOTION_EXPENSE.storedName());
    }

    private long hash(final String operator, final Envelope envelope, final AdminCommand command) {
        final int length = RecordCodec.encode(envelope, command, buffer, 0);
        return RecordCodec.contentHash(operator, buffer, 0, length);
    }

    /**
     * The request hash is stored (a repeated request id is compared with it), so its value is frozen: the same
     * operator and command hash the same in every build. The envelope's request id, source and note are not
     * what was asked and do not count; the operator and every field do.
     */
    @Test
    void theRequestHashIsFixedAndCoversOperatorAndFieldsOnly() {
        final AdminCommand freeze = new FreezeCard("8888000100000017");
        final long hash = hash("clerk", new Envelope("clerk", 7, "10.0.0.1:5000", "customer called"), freeze);
        assertThat(hash).isEqualTo(FROZEN_FREEZE_HASH);
        assertThat(hash("clerk", new Envelope("clerk", 8, "another host", "another note"), freeze)).isEqualTo(hash);
        assertThat(hash("clerk2", envelope, freeze)).isNotEqualTo(hash);
        assertThat(hash("clerk", envelope, new FreezeCard("8888000100000025"))).isNotEqualTo(hash);
        assertThat(hash("clerk", envelope, new UnfreezeCard("8888000100000017"))).as("another type").isNotEqualTo(hash);
    }

    /** FNV-1a 64 of "clerk", 0xFF, the header of FREEZE_CARD version 1 and its one field, as written on 2026-12-07. */
    private static final long FROZEN_FREEZE_HASH = 26140332269403840L;
}
