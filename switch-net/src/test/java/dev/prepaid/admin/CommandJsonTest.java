package dev.prepaid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Reason;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Commands from JSON by field name, and every problem answered naming its field. */
class CommandJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AdminCommand read(final CommandType type, final String fields) throws Exception {
        return CommandJson.read(type, JSON.readTree(fields), Map.of());
    }

    private static AdminError error(final CommandType type, final String fields) {
        try {
            read(type, fields);
        } catch (final AdminError e) {
            return e;
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted " + fields);
    }

    @Test
    void aCommandIsBuiltFromItsFieldsByNameAndTextsMayBeLeftOut() throws Exception {
        final AdminCommand command = read(CommandType.RECHARGE_CARDS, "{\"count\":2,\"firstPan\":\"8888000200000107\","
                + "\"amount\":1234,\"payment\":\"CASH\",\"channel\":\"COUNTER\"}");
        assertThat(command).isEqualTo(new AdminCommand.RechargeCards("8888000200000107", 2, 1234, PaymentMethod.CASH,
                dev.prepaid.card.SalesChannel.COUNTER));
        assertThat(read(CommandType.FREEZE_CARD, "{}")).isEqualTo(new AdminCommand.FreezeCard(""));
    }

    @Test
    void eachMistakeNamesItsField() {
        final AdminError decimals = error(CommandType.RECHARGE_CARDS, "{\"count\":1,\"amount\":12.34,"
                + "\"payment\":\"CASH\",\"channel\":\"COUNTER\"}");
        assertThat(decimals.field).isEqualTo("amount");
        assertThat(decimals.getMessage()).contains("1234");
        assertThat(error(CommandType.RECHARGE_CARDS, "{\"count\":\"1\"}").field).isEqualTo("count");
        assertThat(error(CommandType.RECHARGE_CARDS, "{\"count\":4294967296}").getMessage()).contains("32 bits");
        assertThat(error(CommandType.FREEZE_CARD, "{\"pan\":12}").getMessage()).contains("text");
        assertThat(error(CommandType.FREEZE_CARD, "{\"pin\":\"1\"}").getMessage()).contains("its fields are pan");
        assertThat(error(CommandType.SET_MERCHANT_REVIEW, "{\"merchantId\":\"M\",\"underReview\":\"yes\"}").field)
                .isEqualTo("underReview");
        assertThat(error(CommandType.FREEZE_CARD, "[1]").field).isEqualTo("fields");
    }

    @Test
    void fieldsTheEndpointFillsCannotBeSetByTheClient() {
        assertThatThrownBy(() -> CommandJson.read(CommandType.RESET_PASSWORD,
                JSON.readTree("{\"operatorId\":\"a\",\"passwordHash\":\"$argon2id$forged\"}"), Map.of("passwordHash", "")))
                .isInstanceOf(AdminError.class).hasMessageContaining("a client may set");
    }

    @Test
    void refusalsMapToStatusesByKind() {
        assertThat(AdminRoutes.statusOf(Reason.ROLE_NOT_PERMITTED)).isEqualTo(403);
        assertThat(AdminRoutes.statusOf(Reason.INVALID_ARGUMENT)).isEqualTo(400);
        assertThat(AdminRoutes.statusOf(Reason.MERCHANT_NOT_FOUND)).isEqualTo(404);
        assertThat(AdminRoutes.statusOf(Reason.ILLEGAL_TRANSITION)).isEqualTo(409);
        assertThat(AdminRoutes.statusOf(Reason.DUPLICATE_REQUEST_DIFFERENT)).isEqualTo(409);
    }

    @Test
    void theSaltOfAPasswordHashIsTheSameForARetryAndDiffersOtherwise() {
        assertThat(AdminRoutes.salt("admin", 7, "clerk")).isEqualTo(AdminRoutes.salt("admin", 7, "clerk"))
                .isNotEqualTo(AdminRoutes.salt("admin", 8, "clerk")).isNotEqualTo(AdminRoutes.salt("admin", 7, "other"))
                .hasSize(16);
    }
}
