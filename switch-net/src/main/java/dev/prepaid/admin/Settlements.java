package dev.prepaid.admin;

import dev.prepaid.clearing.ExportedFiles;
import dev.prepaid.clearing.SettlementBatch;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Envelope;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.operator.Operator;
import dev.prepaid.payout.BankBatchFile;
import dev.prepaid.payout.Debtor;
import dev.prepaid.payout.NeutralLayout;
import dev.prepaid.payout.Pain001Writer;
import dev.prepaid.payout.PayoutBatch;
import dev.prepaid.payout.PayoutFile;
import dev.prepaid.payout.PayoutFiles;
import dev.prepaid.payout.PayoutResult;
import dev.prepaid.payout.PayoutResults;
import dev.prepaid.time.CivilDate;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payout files of approved settlement batches (docs/payout-files.md) and the bank's result files, for the admin
 * endpoint. The ledger decides and journals everything; this class only makes bytes and writes files, on its own
 * executor, never on the endpoint's event loop or a stage thread.
 *
 * <p>Order of an export: the files are made in memory from the batch as it was sent, then RECORD_PAYOUT_FILES
 * journals their names, checksums and creation time, and only then are they written. So the creation time is a
 * journaled fact before any file exists: an export that stopped half-way (a crash, a full disk) is re-run to the
 * very same bytes, and the bank sees the same message ids, never a second payment.
 */
public final class Settlements {
    private static final Logger LOG = LoggerFactory.getLogger(Settlements.class);
    private final LedgerAccess ledger;
    private final Debtor custody;
    private final Path directory;
    private final ZoneId zone;
    private final Clock clock;
    private final Executor files;

    /**
     * @param custody the custody account that pays ({@code business.custodyAccount}), or null: then no file is made
     * @param directory where the files go ({@code admin.payoutFiles})
     * @param files where file work runs (it blocks on the disk)
     */
    public Settlements(final LedgerAccess ledger, final Debtor custody, final Path directory, final ZoneId zone,
            final Clock clock, final Executor files) {
        this.ledger = ledger;
        this.custody = custody;
        this.directory = directory;
        this.zone = zone;
        this.clock = clock;
        this.files = files;
    }

    /** What a read on the ledger thread hands out: the batch to write or to read results against, or why not. */
    private record Prepared(PayoutBatch batch, ExportedFiles recorded, String refusal, int status, String code) {
        static Prepared refused(final int status, final String code, final String refusal) {
            return new Prepared(null, null, refusal, status, code);
        }
    }

    static String purpose(final int preparedDay) {
        return "结算款 " + CivilDate.iso(preparedDay);
    }

    private Prepared forExport(final LedgerState s, final long id, final long nowMillis) {
        final SettlementBatch batch = s.settlements().get(id);
        if (batch == null) {
            return Prepared.refused(404, "SETTLEMENT_NOT_FOUND", "no settlement " + id + " (or it left the ledger's"
                    + " memory: the journal keeps it)");
        }
        final ExportedFiles recorded = batch.exported();
        final long createdAt = recorded != null ? recorded.createdAtMillis() : nowMillis;
        try {
            return new Prepared(PayoutBatch.asSent(batch, s::merchant, s::deployer, custody, time(createdAt), purpose(batch.preparedDay())),
                    recorded, null, 0, null);
        } catch (final IllegalArgumentException e) {
            // A query must not throw: a batch the files cannot carry (not approved, a bank detail) is an answer.
            return Prepared.refused(409, "PAYOUT_NOT_WRITABLE", e.getMessage());
        }
    }

    private Prepared forResults(final LedgerState s, final long id) {
        final SettlementBatch batch = s.settlements().get(id);
        if (batch == null) {
            return Prepared.refused(404, "SETTLEMENT_NOT_FOUND", "no settlement " + id);
        }
        final long createdAt = batch.exported() != null ? batch.exported().createdAtMillis() : 1000;
        try {
            return new Prepared(PayoutBatch.of(batch, s::merchant, s::deployer, custody, time(createdAt), purpose(batch.preparedDay())),
                    batch.exported(), null, 0, null);
        } catch (final IllegalArgumentException e) {
            return Prepared.refused(409, "NO_PAYOUT_WAITING", e.getMessage());
        }
    }

    private OffsetDateTime time(final long millis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), zone);
    }

    private void requireCustody() {
        if (custody == null) {
            throw new AdminError(409, "NO_CUSTODY_ACCOUNT", "business.custodyAccount is not configured, so the switch"
                    + " cannot name the payer of a payout file; configure it (docs/configuration.md), restart, and run"
                    + " 'prepaid-admin payout export'");
        }
    }

    /**
     * Makes, records and writes the payout files of an approved batch: the answer lists them (name, path, SHA-256,
     * size, whether written now). {@code envelope} is the operator's, with the request id the command is journaled
     * under. A batch whose files are recorded gets the same files again: written when missing, accepted when there.
     */
    CompletableFuture<Map<String, Object>> export(final Envelope envelope, final long id) {
        requireCustody();
        final long now = clock.millis() / 1000 * 1000;
        return ledger.read(s -> forExport(s, id, now)).thenApplyAsync(prepared -> {
            if (prepared.refusal() != null) {
                throw new AdminError(prepared.status(), prepared.code(), prepared.refusal());
            }
            return new Made(prepared, Pain001Writer.write(prepared.batch()),
                    BankBatchFile.write(prepared.batch(), NeutralLayout.INSTANCE));
        }, files).thenCompose(made -> {
            final ExportedFiles recorded = made.prepared().recorded();
            if (recorded != null && (!recorded.painSha256().equals(made.pain().sha256())
                    || !recorded.neutralSha256().equals(made.neutral().sha256()))) {
                throw new AdminError(409, "PAYOUT_FILES_DIFFER", "settlement " + id + "'s files made now differ from the"
                        + " ones recorded (" + recorded.painFile() + " " + recorded.painSha256() + ", "
                        + recorded.neutralFile() + " " + recorded.neutralSha256() + "): business.custodyAccount changed"
                        + " since; nothing was written. The bank may hold the recorded files: put the configuration"
                        + " back to export them again");
            }
            final AdminCommand.RecordPayoutFiles record = new AdminCommand.RecordPayoutFiles(id,
                    made.prepared().batch().createdAt().toInstant().toEpochMilli(), made.pain().name(),
                    made.pain().sha256(), made.neutral().name(), made.neutral().sha256());
            return ledger.submit(envelope, record).thenApplyAsync(applied -> {
                if (!applied.outcome().approved()) {
                    throw new Refused(AdminRoutes.answer(CommandType.RECORD_PAYOUT_FILES, applied));
                }
                return written(id, made, applied);
            }, files);
        });
    }

    private record Made(Prepared prepared, PayoutFile pain, PayoutFile neutral) {
    }

    /** A ledger refusal, answered as the endpoint answers every command. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient AdminRoutes.Reply reply;

        Refused(final AdminRoutes.Reply reply) {
            super("refused by the ledger", null, false, false);
            this.reply = reply;
        }
    }

    private Map<String, Object> written(final long id, final Made made, final Applied applied) {
        final List<Object> list = writeFiles(id, made);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("settlementId", id);
        body.put("journalSequence", applied.journalSequence());
        body.put("recorded", applied.outcome().value1 == 1 && !applied.outcome().duplicate ? "NOW" : "BEFORE");
        body.put("createdAt", made.prepared().batch().createdAt().toString());
        body.put("payouts", made.prepared().batch().count());
        body.put("total", made.prepared().batch().totalFen());
        body.put("files", list);
        return body;
    }

    /** Writes both files (a file already there with the same bytes is accepted): what was written, file by file. */
    private List<Object> writeFiles(final long id, final Made made) {
        final List<Object> list = new ArrayList<>();
        for (final PayoutFile file : new PayoutFile[] {made.pain(), made.neutral()}) {
            final PayoutFiles.Written w;
            try {
                w = PayoutFiles.write(directory, file);
            } catch (final FileAlreadyExistsException e) {
                throw new AdminError(409, "PAYOUT_FILE_EXISTS", e.getMessage() + "; nothing was replaced");
            } catch (final IOException e) {
                throw new AdminError(500, "PAYOUT_FILES", "the payout files of settlement " + id + " could not be"
                        + " written: " + e + "; they are recorded: run the export again to write the same bytes");
            }
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", w.name());
            entry.put("path", w.path().toString());
            entry.put("sha256", w.sha256());
            entry.put("size", w.size());
            entry.put("written", w.created());
            list.add(entry);
        }
        return list;
    }

    /** Approved batches with a payout (a merchant's or a deployer's) still waiting for the bank's result. */
    static List<Long> waitingForResults(final LedgerState s) {
        final List<Long> ids = new ArrayList<>();
        for (final SettlementBatch batch : s.settlements().values()) {
            if (batch.state() != SettlementBatch.APPROVED) {
                continue;
            }
            boolean waiting = false;
            for (int i = 0; i < batch.lines() && !waiting; i++) {
                waiting = batch.lineState(i) == SettlementBatch.LINE_SENT;
            }
            for (int i = 0; i < batch.deployerLines() && !waiting; i++) {
                waiting = batch.deployerState(i) == SettlementBatch.LINE_SENT;
            }
            if (waiting) {
                ids.add(batch.id());
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * At start: every approved batch with a payout waiting for the bank's result gets its payout files, as its
     * approval would have written them had the switch not stopped in between (docs/operations.md, "Settlement
     * across a restart"). A batch whose files are recorded gets them made again from the journaled creation time:
     * the same bytes, written when missing, checked when there (a file of other bytes under the recorded name is
     * never replaced: an ERROR, the batch's payouts untouched), and nothing is journaled. A batch approved with no
     * files recorded — the switch stopped between the approval and RECORD_PAYOUT_FILES — is exported now by the
     * switch: RECORD_PAYOUT_FILES as {@code system}, then the files. Completes when every batch is done; a failure
     * is logged and counted, never thrown: the approvals stand and {@code payout export} tries again.
     *
     * @return the number of batches whose files could not be completed
     */
    public CompletableFuture<Integer> completeAtStart() {
        return ledger.read(Settlements::waitingForResults).thenCompose(ids -> {
            if (ids.isEmpty()) {
                return CompletableFuture.completedFuture(0);
            }
            if (custody == null) {
                LOG.warn("settlements {} wait for the bank's results, but business.custodyAccount is not configured:"
                        + " their payout files cannot be made or checked", ids);
                return CompletableFuture.completedFuture(ids.size());
            }
            CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
            for (final long id : ids) {
                // One batch after the other: the file work is one thread's anyway, and its queue is bounded.
                chain = chain.thenCompose(failed -> completeOne(id).handle((done, failure) -> {
                    if (failure != null) {
                        final Throwable cause = failure instanceof java.util.concurrent.CompletionException
                                && failure.getCause() != null ? failure.getCause() : failure;
                        LOG.error("payout files of settlement {} not completed at start: {}. The approval stands (its"
                                + " money is in transit); 'prepaid-admin payout export {}' tries again", id,
                                cause.getMessage(), id);
                        return failed + 1;
                    }
                    return failed;
                }));
            }
            return chain;
        });
    }

    private CompletableFuture<Void> completeOne(final long id) {
        final long now = clock.millis() / 1000 * 1000;
        return ledger.read(s -> forExport(s, id, now)).thenComposeAsync(prepared -> {
            if (prepared.refusal() != null) {
                throw new AdminError(prepared.status(), prepared.code(), prepared.refusal());
            }
            if (prepared.recorded() == null) {
                final Envelope envelope = new Envelope(Operator.SYSTEM_ID, 0, "switch", "payout files of settlement "
                        + id + ", approved before the switch stopped");
                return export(envelope, id).thenAccept(body -> LOG.info("settlement {} was approved without payout"
                        + " files: recorded and written at start ({})", id, names(body)));
            }
            final Made made = new Made(prepared, Pain001Writer.write(prepared.batch()),
                    BankBatchFile.write(prepared.batch(), NeutralLayout.INSTANCE));
            final ExportedFiles recorded = prepared.recorded();
            if (!recorded.painSha256().equals(made.pain().sha256())
                    || !recorded.neutralSha256().equals(made.neutral().sha256())) {
                throw new AdminError(409, "PAYOUT_FILES_DIFFER", "settlement " + id + "'s files made now differ from the"
                        + " ones recorded (" + recorded.painFile() + " " + recorded.painSha256() + ", "
                        + recorded.neutralFile() + " " + recorded.neutralSha256() + "): business.custodyAccount changed"
                        + " since; nothing was written");
            }
            final List<Object> files = writeFiles(id, made);
            for (final Object file : files) {
                @SuppressWarnings("unchecked")
                final Map<String, Object> entry = (Map<String, Object>) file;
                if (Boolean.TRUE.equals(entry.get("written"))) {
                    LOG.warn("payout file {} of settlement {} was recorded but missing: written again at start, the"
                            + " same bytes (SHA-256 {})", entry.get("name"), id, entry.get("sha256"));
                }
            }
            return CompletableFuture.completedFuture(null);
        }, files);
    }

    private static List<Object> names(final Map<String, Object> body) {
        final List<Object> names = new ArrayList<>();
        for (final Object file : (List<?>) body.get("files")) {
            names.add(((Map<?, ?>) file).get("name"));
        }
        return names;
    }

    /**
     * Reads the bank's result file against the payouts of batch {@code id} still waiting for a result, and books
     * one RECORD_PAYOUT_RESULT per line when the whole file is sound; a file with any problem books nothing and is
     * answered 422 with each problem's line. Line {@code i}'s command is journaled under
     * {@code derive(i)} as its request id, so a retried request repeats, never books twice.
     */
    CompletableFuture<AdminRoutes.Reply> results(final Envelope envelope, final long id, final byte[] content,
            final java.util.function.IntToLongFunction derive) {
        requireCustody();
        return ledger.read(s -> forResults(s, id)).thenApplyAsync(prepared -> {
            if (prepared.refusal() != null) {
                throw new AdminError(prepared.status(), prepared.code(), prepared.refusal());
            }
            return PayoutResults.read(prepared.batch(), content);
        }, files).thenCompose(results -> {
            if (!results.problems().isEmpty()) {
                final Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", "RESULT_FILE_PROBLEMS");
                body.put("message", "the result file has " + results.problems().size() + " problem(s); nothing of it"
                        + " was booked");
                final List<Object> problems = new ArrayList<>();
                for (final PayoutResults.Problem p : results.problems()) {
                    problems.add(Map.of("line", p.lineNumber(), "message", p.message()));
                }
                body.put("problems", problems);
                return CompletableFuture.completedFuture(new AdminRoutes.Reply(422, body));
            }
            final List<CompletableFuture<Map<String, Object>>> booked = new ArrayList<>();
            for (int i = 0; i < results.results().size(); i++) {
                final PayoutResult r = results.results().get(i);
                final Envelope line = new Envelope(envelope.operatorId(), derive.applyAsLong(i + 1), envelope.source(),
                        (envelope.note().isEmpty() ? "" : envelope.note() + "; ") + r.note());
                booked.add(ledger.submit(line, r.command()).thenApply(applied -> {
                    final AdminRoutes.Reply answer = AdminRoutes.answer(CommandType.RECORD_PAYOUT_RESULT, applied);
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) answer.body());
                    entry.put("line", r.lineNumber());
                    entry.put("merchantId", r.merchantId());
                    entry.put("endToEndId", r.endToEndId());
                    entry.put("status", r.status().name());
                    entry.put("amount", r.amountFen());
                    entry.put("bankReference", r.bankReference());
                    entry.put("reasonCode", r.reasonCode());
                    return entry;
                }));
            }
            return CompletableFuture.allOf(booked.toArray(CompletableFuture[]::new)).thenApply(done -> {
                final List<Object> lines = new ArrayList<>();
                int approved = 0;
                for (final CompletableFuture<Map<String, Object>> f : booked) {
                    final Map<String, Object> entry = f.join();
                    approved += "APPROVED".equals(entry.get("result")) ? 1 : 0;
                    lines.add(entry);
                }
                final Map<String, Object> body = new LinkedHashMap<>();
                body.put("settlementId", id);
                body.put("lines", lines.size());
                body.put("booked", approved);
                body.put("refused", lines.size() - approved);
                body.put("unanswered", results.unanswered().stream().map(l -> l.endToEndId()).toList());
                body.put("results", lines);
                return new AdminRoutes.Reply(approved == lines.size() ? 200 : 409, body);
            });
        });
    }
}
