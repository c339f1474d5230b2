package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.pos.Card;
import dev.prepaid.pos.PosResult;
import dev.prepaid.pos.PosTerminal;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the end-to-end tests check on the terminal simulator's results: approved or declined with a code, the
 * balance read back with an inquiry, and the answer's bytes decoded in the demo dialect.
 */
final class EndToEnd {
    private EndToEnd() {
    }

    /** Answered (and its MAC verified by the simulator) with 00. */
    static void assertApproved(final PosResult result) {
        assertAnswered(result, "00");
    }

    /** {@code result}, which must be approved ({@link #assertApproved}): for the originals of later transactions. */
    static PosResult approved(final PosResult result) {
        assertApproved(result);
        return result;
    }

    /** Answered (and its MAC verified by the simulator) with {@code code}. */
    static void assertDeclined(final PosResult result, final String code) {
        assertAnswered(result, code);
    }

    private static void assertAnswered(final PosResult result, final String code) {
        assertThat(result.status()).as("%s", result).isEqualTo(PosResult.Status.ANSWERED);
        assertThat(result.responseCode()).as("%s", result).isEqualTo(code);
    }

    /** The card's available balance by a balance inquiry, which must be approved. */
    static long available(final PosTerminal pos, final Card card) {
        final PosResult balance = pos.balance(card);
        assertApproved(balance);
        return balance.availableBalance();
    }

    /** The answer of {@code result}, which must have one that decodes. */
    static IsoMessage decode(final PosResult result) {
        final byte[] body = result.response();
        assertThat(body).as("%s has an answer", result).isNotNull();
        return decode(body);
    }

    /** A frame body (no length prefix), which must decode. */
    static IsoMessage decode(final byte[] body) {
        final IsoMessage message = new IsoMessage(DemoSwitch.dialect());
        assertThat(message.wrap(new UnsafeBuffer(body), 0, body.length)).as("answer decodes: %s", message.error())
                .isTrue();
        return message;
    }

    /** A field of the answer of {@code result} as ASCII; the field must be there. */
    static String ascii(final PosResult result, final int field) {
        final IsoMessage message = decode(result);
        assertThat(message.has(field)).as("field %d in %s", field, result).isTrue();
        return ascii(message, field);
    }

    /** A field as ASCII; the field must be there. */
    static String ascii(final IsoMessage message, final int field) {
        assertThat(message.has(field)).as("field %d", field).isTrue();
        final byte[] bytes = new byte[message.dataBytes(field)];
        message.getBytes(field, bytes, 0);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
