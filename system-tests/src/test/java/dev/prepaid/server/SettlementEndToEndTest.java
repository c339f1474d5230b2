package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.admin.Applied;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.operator.Operator;
import dev.prepaid.server.AdminHttp.Answer;
import dev.prepaid.time.CivilDate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settlement and payouts through the admin endpoint of a real switch on the demo business: a batch prepared by one
 * finance operator and approved by another, its payout files written at approval (valid pain.001, owner-only, the
 * payee frozen at preparation), an export re-run writing the same bytes, the bank's result file booked line by line
 * (a failed payout back on its merchant's payable), and what is refused: the maker approving, a role without the
 * permission (journaled, in the audit trail), a result file with problems (nothing booked), the same file twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementEndToEndTest {
    private static final String NEW_ACCOUNT = "6222999900001111222";
    @TempDir
    static Path directory;
    private SwitchServer server;
    private AdminHttp http;
    private String finance;
    private String finance2;
    private String clerk;
    private String supervisor;

    @BeforeAll
    void start() {
        server = DemoSwitch.start(directory);
        http = AdminHttp.of(server);
        finance = http.login("finance", "finance-demo");
        finance2 = http.login("finance2", "finance2-demo");
        clerk = http.login("clerk", "clerk-demo");
        supervisor = http.login("supervisor", "supervisor-demo");
    }

    @AfterAll
    void stop() {
        DemoSwitch.stop(server);
    }

    private void owe(final String merchantId, final long fen) {
        final Answer approved = SettlementSteps.owe(http, finance, supervisor, merchantId, fen);
        assertThat(approved.body().has("payoutFiles")).as("not a settlement").isFalse();
    }

    private Answer results(final String token, final long id, final String file) {
        return http.post("/v1/settlements/" + id + "/results", token, Map.of("requestId", AdminHttp.requestId(),
                "note", "bank result file", "file", file));
    }

    @Test
    void aSettlementIsPreparedApprovedByASecondOperatorPaidFromItsFilesAndBookedFromTheBanksAnswer() throws Exception {
        owe(DemoSwitch.SUPERMARKET, 1_234_56);
        owe(DemoSwitch.COFFEE, 50_00);
        SettlementSteps.passWorkingDays(server, 3);

        final Answer notAllowed = http.command(clerk, "PREPARE_SETTLEMENT", "{}");
        assertThat(notAllowed.status()).isEqualTo(403);
        assertThat(notAllowed.error()).isEqualTo("ROLE_NOT_PERMITTED");
        final Answer prepared = http.command(finance, "PREPARE_SETTLEMENT", "{}");
        assertThat(prepared.status()).as(prepared.toString()).isEqualTo(200);
        final long id = prepared.body().get("settlementId").asLong();
        assertThat(prepared.body().get("total").asLong()).isEqualTo(1_234_56 + 50_00);

        final Answer list = http.get("/v1/settlements", finance);
        assertThat(list.status()).isEqualTo(200);
        assertThat(SettlementSteps.texts(list.body().get("items"), "state")).containsExactly("PREPARED");
        assertThat(list.body().get("next").asInt()).isEqualTo(-1);

        // The supermarket's new account after preparation: the approver approves the account it was prepared with.
        final Answer moved = http.command(http.login("admin", "admin-demo"), "UPSERT_MERCHANT", "{\"merchantId\":\""
                + DemoSwitch.SUPERMARKET + "\",\"name\":\"Demo Supermarket\",\"category\":\"5411\",\"status\":\"ACTIVE\","
                + "\"cycle\":\"T_PLUS_1\",\"cycleDays\":1,\"thresholdFen\":0,\"refundFeePolicy\":\"PROPORTIONAL\","
                + "\"rechargeAllowed\":true,\"bankAccount\":\"" + NEW_ACCOUNT + "\",\"bankAccountName\":\"Somebody Else\","
                + "\"bankName\":\"Other Bank\",\"cnapsCode\":\"103100000002\"}");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);

        final Answer own = http.command(finance, "APPROVE", "{\"pendingId\":" + id + "}");
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.error()).isEqualTo("APPROVER_IS_MAKER");
        final Answer approved = http.command(finance2, "APPROVE", "{\"pendingId\":" + id + "}");
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        final JsonNode files = approved.body().get("payoutFiles");
        assertThat(files).as(approved.toString()).isNotNull();
        assertThat(files.get("recorded").asText()).isEqualTo("NOW");
        assertThat(SettlementSteps.texts(files.get("files"), "name")).allMatch(name -> name.startsWith("payout-"))
                .anyMatch(name -> name.endsWith(".pain001.xml")).anyMatch(name -> name.endsWith(".neutral.csv"));

        final Path pain = Path.of(files.get("files").get(0).get("path").asText());
        final Path neutral = Path.of(files.get("files").get(1).get("path").asText());
        assertThat(pain.getParent()).isEqualTo(directory.resolve("data/payout-files").toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pain))).isEqualTo("rw-------");
        final byte[] painBytes = Files.readAllBytes(pain);
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(DemoSwitch.root().resolve("payout/src/test/resources/iso20022/pain.001.001.03.xsd").toFile())
                .newValidator().validate(new StreamSource(new ByteArrayInputStream(painBytes)));
        final String painText = new String(painBytes, StandardCharsets.UTF_8);
        assertThat(painText).contains("6222020200112233445", "Demo Supermarket Co., Ltd.", "<NbOfTxs>2</NbOfTxs>",
                "<CtrlSum>1284.56</CtrlSum>").doesNotContain(NEW_ACCOUNT, "Somebody Else");
        final String neutralText = Files.readString(neutral);
        assertThat(neutralText).startsWith(id + ",").contains(",1001000100010001,2,1284.56\r\n")
                .contains("6222020200112233445").doesNotContain(NEW_ACCOUNT);

        final Answer shown = http.get("/v1/settlements/" + id, finance);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body().get("state").asText()).isEqualTo("APPROVED");
        assertThat(shown.body().get("decidedBy").asText()).isEqualTo("finance2");
        assertThat(shown.body().get("files").get("painSha256").asText())
                .isEqualTo(files.get("files").get(0).get("sha256").asText());
        final JsonNode supermarket = shown.body().get("lines").get(0);
        assertThat(supermarket.get("merchantId").asText()).isEqualTo(DemoSwitch.SUPERMARKET);
        assertThat(supermarket.get("payeeAccount").asText()).isEqualTo("6222020200112233445");
        assertThat(supermarket.get("payeeChangedSince").asBoolean()).isTrue();
        assertThat(SettlementSteps.texts(shown.body().get("lines"), "state")).containsExactly("SENT", "SENT");
        final Answer audit = http.get("/v1/audit?command=RECORD_PAYOUT_FILES&target=" + id, finance);
        assertThat(SettlementSteps.texts(audit.body().get("items"), "operator")).containsExactly("finance2");

        // An export again: the same bytes, nothing new; a clerk may not, and that refusal is journaled.
        final Answer again = http.post("/v1/settlements/" + id + "/export", finance, "{\"requestId\":"
                + AdminHttp.requestId() + "}");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().get("recorded").asText()).isEqualTo("BEFORE");
        assertThat(SettlementSteps.texts(again.body().get("files"), "written")).containsExactly("false", "false");
        assertThat(SettlementSteps.texts(again.body().get("files"), "sha256")).isEqualTo(SettlementSteps.texts(files.get("files"), "sha256"));
        assertThat(Files.readAllBytes(pain)).isEqualTo(painBytes);
        final Answer clerkExport = http.post("/v1/settlements/" + id + "/export", clerk, "{\"requestId\":"
                + AdminHttp.requestId() + "}");
        assertThat(clerkExport.status()).isEqualTo(403);
        assertThat(clerkExport.error()).isEqualTo("ROLE_NOT_PERMITTED");
        final Answer clerkResults = results(clerk, id, "x\n");
        assertThat(clerkResults.status()).isEqualTo(403);
        final Answer refusals = http.get("/v1/audit?operator=clerk&result=refused", finance);
        assertThat(SettlementSteps.texts(refusals.body().get("items"), "command"))
                .contains("RECORD_PAYOUT_FILES", "RECORD_PAYOUT_RESULT", "PREPARE_SETTLEMENT");

        // A file with problems books nothing and names its lines.
        final String paid = id + "-" + DemoSwitch.SUPERMARKET + ",1234.56,PAID,,,B-0001\n";
        final String failed = id + "-" + DemoSwitch.COFFEE + ",50.00,FAILED,AC04,户名不符,\n";
        final Answer bad = results(finance, id, paid + id + "-" + DemoSwitch.COFFEE + ",51.00,FAILED,AC04,,\n"
                + "99-888310048990001,1.00,PAID,,,B-0003\n");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.error()).isEqualTo("RESULT_FILE_PROBLEMS");
        final List<String> problems = new ArrayList<>();
        bad.body().get("problems").forEach(p -> problems.add(p.get("line").asInt() + ": " + p.get("message").asText()));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("2: ").contains("51.00");
        assertThat(problems.get(1)).startsWith("3: ");
        assertThat(SettlementSteps.texts(http.get("/v1/settlements/" + id, finance).body().get("lines"), "state"))
                .containsExactly("SENT", "SENT");

        final Answer booked = results(finance, id, paid + failed);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(200);
        assertThat(booked.body().get("booked").asInt()).isEqualTo(2);
        final JsonNode after = http.get("/v1/settlements/" + id, finance).body();
        assertThat(SettlementSteps.texts(after.get("lines"), "state")).containsExactly("PAID", "FAILED");
        assertThat(SettlementSteps.texts(after.get("lines"), "bankReference")).containsExactly("B-0001", "");
        final JsonNode coffee = http.get("/v1/merchants/" + DemoSwitch.COFFEE, finance).body();
        assertThat(coffee.get("payable").asLong()).as("the failed payout is owed again").isEqualTo(50_00);
        assertThat(http.get("/v1/merchants/" + DemoSwitch.SUPERMARKET, finance).body().get("payable").asLong()).isZero();

        final Answer twice = results(finance, id, paid + failed);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.error()).isEqualTo("NO_PAYOUT_WAITING");
        final Answer notOne = http.get("/v1/settlements/999", finance);
        assertThat(notOne.status()).isEqualTo(404);
    }
}
