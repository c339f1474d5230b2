package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.admin.Applied;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Reason;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.operator.Operator;
import dev.prepaid.server.AdminHttp.Answer;
import dev.prepaid.testing.Await;
import dev.prepaid.time.CivilDate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A settlement across restarts of a real switch on one journal, stopped at each point where its facts and its files
 * could part: a batch prepared and not approved; approved (its payouts in transit, journaled) with no payout files
 * recorded or written — the switch stopped between the approval and its export; files recorded and then lost (the
 * stop between RECORD_PAYOUT_FILES and the disk, or a file deleted); a file of other bytes under the recorded name;
 * files written and half of the bank's results booked. After each start: no payout is sent or booked twice (the
 * merchants' payables to the fen, a second approval and a second result refused, a retried approval idempotent),
 * the files are there with the journaled checksums and the same bytes as before, and the day reconciles balanced.
 */
class SettlementRestartEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long SUPERMARKET_DUE = 1_234_56;
    private static final long COFFEE_DUE = 50_00;

    @TempDir
    Path directory;

    private SwitchConfig config;
    private SwitchServer server;
    private AdminHttp http;
    private String finance;
    private String finance2;

    private Path payoutFiles() {
        return directory.resolve("data/payout-files");
    }

    /** Starts the switch again on the same journal and configuration, and logs the two finance operators in. */
    private void restart() {
        server.close();
        server = SwitchServer.start(config);
        http = AdminHttp.of(server);
        finance = http.login("finance", "finance-demo-new");
        finance2 = http.login("finance2", "finance2-demo-new");
    }

    private long payable(final String merchantId) {
        final Answer merchant = http.get("/v1/merchants/" + merchantId, finance);
        assertThat(merchant.status()).as(merchant.toString()).isEqualTo(200);
        return merchant.body().get("payable").asLong();
    }

    private JsonNode settlement(final long id) {
        final Answer shown = http.get("/v1/settlements/" + id, finance);
        assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
        return shown.body();
    }

    private List<Path> filesOnDisk() throws Exception {
        if (!Files.isDirectory(payoutFiles())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(payoutFiles())) {
            return files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static String sha256(final Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The files the journal records for batch {@code id} are on disk, each with its recorded checksum. */
    private void assertRecordedFilesOnDisk(final long id) throws Exception {
        final JsonNode files = settlement(id).get("files");
        assertThat(files).as("files recorded for settlement " + id).isNotNull();
        assertThat(files.isNull()).isFalse();
        assertThat(sha256(payoutFiles().resolve(files.get("painFile").asText())))
                .isEqualTo(files.get("painSha256").asText());
        assertThat(sha256(payoutFiles().resolve(files.get("neutralFile").asText())))
                .isEqualTo(files.get("neutralSha256").asText());
        assertThat(filesOnDisk()).hasSize(2);
    }

    /** One more cut-over; the day it closed (with the settlement's postings in it) must reconcile balanced. */
    private void dayReconcilesBalanced() throws Exception {
        final int today = server.read(s -> s.businessDate()).get();
        final Applied applied = server.submitAndWait(new Envelope(Operator.SYSTEM_ID, 0, "test", "test cut-over"),
                new AdminCommand.Cutover(CivilDate.yyyymmdd(CivilDate.epochDay(today) + 1)));
        assertThat(applied.outcome().approved()).as(applied.outcome().toString()).isTrue();
        final String path = "/v1/reconciliation/" + CivilDate.iso(CivilDate.epochDay(today));
        Await.until("the reconciliation of " + today, WAIT, () -> http.get(path, finance).status() == 200);
        final Answer reconciliation = http.get(path, finance);
        assertThat(reconciliation.body().get("balanced").asBoolean()).as(reconciliation.toString()).isTrue();
        assertThat(DemoSwitch.metric(server, "prepaid_books_out_of_balance")).isZero();
        assertThat(DemoSwitch.metric(server, "prepaid_reconciliation_held_days")).isZero();
    }

    @Test
    void aSettlementStoppedAtEachStepComesBackWithNothingPaidTwiceAndItsFilesAsRecorded() throws Exception {
        config = DemoSwitch.config(directory);
        server = SwitchServer.start(config);
        try {
            http = AdminHttp.of(server);
            finance = http.login("finance", "finance-demo");
            finance2 = http.login("finance2", "finance2-demo");
            final String supervisor = http.login("supervisor", "supervisor-demo");
            SettlementSteps.owe(http, finance, supervisor, DemoSwitch.SUPERMARKET, SUPERMARKET_DUE);
            SettlementSteps.owe(http, finance, supervisor, DemoSwitch.COFFEE, COFFEE_DUE);
            SettlementSteps.passWorkingDays(server, 3);

            // ---- 1. prepared, not approved: the batch waits, nothing moved, no file, no second batch
            final Answer prepared = http.command(finance, "PREPARE_SETTLEMENT", "{}");
            assertThat(prepared.status()).as(prepared.toString()).isEqualTo(200);
            final long id = prepared.body().get("settlementId").asLong();
            assertThat(prepared.body().get("total").asLong()).isEqualTo(SUPERMARKET_DUE + COFFEE_DUE);
            restart();
            assertThat(settlement(id).get("state").asText()).isEqualTo("PREPARED");
            assertThat(payable(DemoSwitch.SUPERMARKET)).isEqualTo(SUPERMARKET_DUE);
            assertThat(payable(DemoSwitch.COFFEE)).isEqualTo(COFFEE_DUE);
            assertThat(filesOnDisk()).as("no files for a batch not approved").isEmpty();
            final Answer second = http.command(finance, "PREPARE_SETTLEMENT", "{}");
            assertThat(second.error()).isEqualTo(Reason.SETTLEMENT_ALREADY_PREPARED.name());

            // ---- 2. approved and journaled, stopped before RECORD_PAYOUT_FILES: the start records and writes them
            final long approvalRequest = AdminHttp.requestId();
            final Applied approval = server.submitAndWait(new Envelope("finance2", approvalRequest, "test",
                    "approved; the switch stops before its files"), new AdminCommand.Approve(id));
            assertThat(approval.outcome().approved()).as(approval.outcome().toString()).isTrue();
            assertThat(filesOnDisk()).isEmpty();
            assertThat(payable(DemoSwitch.SUPERMARKET)).as("in transit").isZero();
            restart();
            final JsonNode approved = settlement(id);
            assertThat(approved.get("state").asText()).isEqualTo("APPROVED");
            assertThat(SettlementSteps.texts(approved.get("lines"), "state")).containsExactly("SENT", "SENT");
            assertThat(approved.get("files").isObject()).as("files recorded at start: %s", approved).isTrue();
            assertThat(approved.get("files").get("recordedBy").asText()).isEqualTo(Operator.SYSTEM_ID);
            assertRecordedFilesOnDisk(id);
            assertThat(payable(DemoSwitch.SUPERMARKET)).as("paid once, not twice").isZero();
            assertThat(payable(DemoSwitch.COFFEE)).isZero();
            final Map<Path, byte[]> firstBytes = new java.util.TreeMap<>();
            for (final Path file : filesOnDisk()) {
                firstBytes.put(file, Files.readAllBytes(file));
            }
            // The operator's client retries the approval whose answer it never got: the same answer, the same files.
            final Answer retried = http.command(finance2, "APPROVE", approvalRequest, "{\"pendingId\":" + id + "}");
            assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
            assertThat(retried.body().get("payoutFiles").get("recorded").asText()).isEqualTo("BEFORE");
            assertThat(SettlementSteps.texts(retried.body().get("payoutFiles").get("files"), "written")).containsExactly("false", "false");
            final Answer again = http.command(finance2, "APPROVE", "{\"pendingId\":" + id + "}");
            assertThat(again.status()).as("a second approval").isNotEqualTo(200);
            assertThat(payable(DemoSwitch.SUPERMARKET)).isZero();
            dayReconcilesBalanced();

            // ---- 3. files recorded but not on disk (the stop between the journal and the disk): written again,
            // the same bytes
            for (final Path file : firstBytes.keySet()) {
                Files.delete(file);
            }
            final long recordsBefore = http.get("/v1/audit?command=RECORD_PAYOUT_FILES&target=" + id, finance).body()
                    .get("items").size();
            restart();
            assertRecordedFilesOnDisk(id);
            for (final Map.Entry<Path, byte[]> file : firstBytes.entrySet()) {
                assertThat(Files.readAllBytes(file.getKey())).as(file.getKey().toString()).isEqualTo(file.getValue());
            }
            assertThat(http.get("/v1/audit?command=RECORD_PAYOUT_FILES&target=" + id, finance).body().get("items"))
                    .as("nothing journaled again for files already recorded").hasSize((int) recordsBefore);

            // ---- 4. a file of other bytes under the recorded name is never replaced (the bank may hold it)
            final Path neutral = payoutFiles().resolve(settlement(id).get("files").get("neutralFile").asText());
            final byte[] neutralBytes = firstBytes.get(neutral);
            Files.write(neutral, "changed by hand\r\n".getBytes(StandardCharsets.UTF_8));
            restart();
            assertThat(Files.readString(neutral)).isEqualTo("changed by hand\r\n");
            final Answer export = http.post("/v1/settlements/" + id + "/export", finance, "{\"requestId\":"
                    + AdminHttp.requestId() + "}");
            assertThat(export.status()).as(export.toString()).isEqualTo(409);
            assertThat(export.error()).isEqualTo("PAYOUT_FILE_EXISTS");
            Files.write(neutral, neutralBytes);

            // ---- 5. half of the bank's answer booked, then a stop: booked once, the rest still waits, files as they were
            final String paid = id + "-" + DemoSwitch.SUPERMARKET + ",1234.56,PAID,,,B-0001\n";
            final String failed = id + "-" + DemoSwitch.COFFEE + ",50.00,FAILED,AC04,户名不符,\n";
            final Answer booked = http.post("/v1/settlements/" + id + "/results", finance, Map.of("requestId",
                    AdminHttp.requestId(), "file", paid));
            assertThat(booked.status()).as(booked.toString()).isEqualTo(200);
            restart();
            assertRecordedFilesOnDisk(id);
            for (final Map.Entry<Path, byte[]> file : firstBytes.entrySet()) {
                assertThat(Files.readAllBytes(file.getKey())).isEqualTo(file.getValue());
            }
            assertThat(SettlementSteps.texts(settlement(id).get("lines"), "state")).containsExactly("PAID", "SENT");
            final Answer paidAgain = http.post("/v1/settlements/" + id + "/results", finance, Map.of("requestId",
                    AdminHttp.requestId(), "file", paid));
            assertThat(paidAgain.status()).as("a payout booked twice").isNotEqualTo(200);
            final Answer rest = http.post("/v1/settlements/" + id + "/results", finance, Map.of("requestId",
                    AdminHttp.requestId(), "file", failed));
            assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
            assertThat(SettlementSteps.texts(settlement(id).get("lines"), "state")).containsExactly("PAID", "FAILED");
            assertThat(payable(DemoSwitch.SUPERMARKET)).isZero();
            assertThat(payable(DemoSwitch.COFFEE)).as("the failed payout is owed again, once").isEqualTo(COFFEE_DUE);

            // ---- 6. a batch with every result booked needs no files: a start writes none
            for (final Path file : firstBytes.keySet()) {
                Files.delete(file);
            }
            restart();
            assertThat(filesOnDisk()).isEmpty();
            assertThat(payable(DemoSwitch.COFFEE)).isEqualTo(COFFEE_DUE);
            dayReconcilesBalanced();
        } finally {
            server.close();
        }
    }
}
