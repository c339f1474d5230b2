package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.admin.Applied;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.operator.Operator;
import dev.prepaid.server.AdminHttp.Answer;
import dev.prepaid.time.CivilDate;
import java.util.ArrayList;
import java.util.List;

/** The steps the settlement tests share: money owed to a merchant, working days passed, a field of a JSON list. */
final class SettlementSteps {
    private SettlementSteps() {
    }

    /** An adjustment owing {@code fen} to the merchant, requested by {@code maker} and approved by {@code checker}. */
    static Answer owe(final AdminHttp http, final String maker, final String checker, final String merchantId,
            final long fen) {
        final Answer requested = http.command(maker, "REQUEST_ADJUSTMENT", "{\"target\":\"MERCHANT\",\"targetId\":\""
                + merchantId + "\",\"amount\":" + fen + ",\"counter\":\"CUSTODY\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(200);
        final Answer approved = http.command(checker, "APPROVE", "{\"pendingId\":"
                + requested.body().get("pendingId").asLong() + "}");
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        return approved;
    }

    /** The switch's own cut-overs through {@code days} working days; returns the last business date. */
    static int passWorkingDays(final SwitchServer server, final int days) throws Exception {
        int date = server.read(s -> s.businessDate()).get();
        for (int passed = 0; passed < days; ) {
            date = CivilDate.yyyymmdd(CivilDate.epochDay(date) + 1);
            final int next = date;
            final Applied applied = server.submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "test", "test cut-over"),
                    new AdminCommand.Cutover(next));
            assertThat(applied.outcome().approved()).as(applied.outcome().toString()).isTrue();
            passed += server.read(s -> s.calendar().isWorkingDay(CivilDate.epochDay(next))).get() ? 1 : 0;
        }
        return date;
    }

    /** One text field of every element of a JSON array. */
    static List<String> texts(final JsonNode array, final String field) {
        final List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asText()));
        return values;
    }
}
