package dev.prepaid.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.prepaid.card.Pan;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.Reason;
import dev.prepaid.config.PasswordHasher;
import dev.prepaid.ledger.AuditQuery;
import dev.prepaid.ledger.ReviewQueue;
import dev.prepaid.operator.Permissions;
import dev.prepaid.operator.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What each request of the admin endpoint does (docs/admin-api.md), apart from HTTP itself ({@link AdminServer}).
 * A request is read and checked here (its session, its JSON, the fields of its command); only a well-formed
 * request is published: a write as one journaled operator command, a read as a query through the ring. Nothing
 * here blocks: password hashing runs on its own small pool, and the ledger answers through futures.
 *
 * <p>Authorisation is the ledger's {@link Permissions}: the ledger decides every command (and journals its
 * refusals, so the audit trail shows them); reads are checked here against the same table's views, and an
 * operator with a merchant scope sees only that merchant.
 */
public final class AdminRoutes {
    /** One HTTP request, as the server read it. {@code token} is the bearer token, or null. */
    public record Request(String method, String path, Map<String, String> query, String token, byte[] body,
            String source) {
    }

    /** The answer: an HTTP status and a body that becomes JSON. */
    public record Reply(int status, Object body) {
    }

    /** Facts of the switch itself (journal, ring, memory) added to {@code GET /v1/status}. */
    public interface SwitchFacts extends Supplier<Map<String, Object>> {
    }

    private static final String PREFIX = "/v1/";
    /** As {@code bin/prepaid password-hash} asks of a bootstrap password. */
    static final int MIN_PASSWORD_LENGTH = 12;

    private final LedgerAccess ledger;
    private final AdminSessions sessions;
    private final PasswordHasher hasher;
    private final Executor hashing;
    private final SwitchFacts facts;
    private final TerminalKeys terminalKeys;
    private final CardProduction production;
    private final Settlements settlements;
    /** The clearing figures and reconciliations; null when the endpoint serves none (tests of other parts). */
    private final ClearingRoutes clearing;
    /** Reports from the clearing figures files; null when {@link #clearing} is. */
    private final ReportRoutes reports;
    /**
     * Card production runs and batches, one at a time on their own thread (each waits for its commands to be
     * applied, a window at a time); a few may queue, more are answered 503.
     */
    private final java.util.concurrent.ExecutorService productionWork = new java.util.concurrent.ThreadPoolExecutor(1, 1,
            0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(4), r -> {
                final Thread t = new Thread(r, "prepaid-card-production");
                t.setDaemon(true);
                return t;
            });
    private final ObjectMapper json = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    /** Verified when the operator id is unknown, so an unknown id takes as long as a wrong password. */
    private volatile String dummyHash;

    public AdminRoutes(final LedgerAccess ledger, final AdminSessions sessions, final PasswordHasher hasher,
            final Executor hashing, final SwitchFacts facts, final TerminalKeys terminalKeys,
            final CardProduction production, final Settlements settlements) {
        this(ledger, sessions, hasher, hashing, facts, terminalKeys, production, settlements, null);
    }

    public AdminRoutes(final LedgerAccess ledger, final AdminSessions sessions, final PasswordHasher hasher,
            final Executor hashing, final SwitchFacts facts, final TerminalKeys terminalKeys,
            final CardProduction production, final Settlements settlements, final ClearingRoutes clearing) {
        this.clearing = clearing;
        this.reports = clearing == null ? null : new ReportRoutes(clearing.directory(), clearing.reads());
        this.ledger = ledger;
        this.settlements = settlements;
        this.sessions = sessions;
        this.hasher = hasher;
        this.hashing = hashing;
        this.facts = facts;
        this.terminalKeys = terminalKeys;
        this.production = production;
    }

    ObjectMapper json() {
        return json;
    }

    /** Answers a request; the future always completes normally, errors becoming their HTTP answer. */
    public CompletableFuture<Reply> handle(final Request request) {
        CompletableFuture<Reply> reply;
        try {
            reply = route(request);
        } catch (final AdminError e) {
            reply = CompletableFuture.completedFuture(error(e));
        } catch (final RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.exceptionally(AdminRoutes::errorOf);
    }

    static Reply errorOf(final Throwable thrown) {
        final Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (e instanceof AdminError error) {
            return error(error);
        }
        if (e instanceof Settlements.Refused refused) {
            return refused.reply;
        }
        if (e instanceof LedgerAccess.Busy || e instanceof RejectedExecutionException) {
            return error(new AdminError(503, "BUSY", "the switch is busy (" + e.getMessage() + "); nothing was"
                    + " changed, retry with the same requestId"));
        }
        return error(new AdminError(500, "INTERNAL", "the request failed inside the switch: " + e
                + "; retry with the same requestId: a request applied once is never applied twice"));
    }

    static Reply error(final AdminError e) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code);
        body.put("message", e.getMessage());
        if (e.field != null) {
            body.put("field", e.field);
        }
        return new Reply(e.status, body);
    }

    private CompletableFuture<Reply> route(final Request r) {
        if (!r.path().startsWith(PREFIX)) {
            throw new AdminError(404, "NO_SUCH_PATH", "no " + r.path() + " here; every path starts with /v1/"
                    + " (GET /v1/commands lists the commands)");
        }
        final String[] parts = r.path().substring(PREFIX.length()).split("/", -1);
        final String first = parts[0];
        final String second = parts.length > 1 ? parts[1] : null;
        final boolean history = parts.length == 3 && "cards".equals(first) && "history".equals(parts[2]);
        final boolean settlementAction = parts.length == 3 && "settlements".equals(first);
        if (parts.length > 2 && !history && !settlementAction) {
            throw notFound(r);
        }
        switch (first) {
            case "login" -> {
                method(r, "POST");
                return login(r);
            }
            case "logout" -> {
                method(r, "POST");
                final AdminSessions.Session session = session(r, true);
                sessions.close(session.token());
                return done(200, Map.of("loggedOut", session.operatorId()));
            }
            case "whoami" -> {
                method(r, "GET");
                return done(200, whoami(session(r, true)));
            }
            case "password" -> {
                method(r, "POST");
                return changePassword(r, session(r, true));
            }
            default -> {
                // every other path needs a session whose password need not be changed first
            }
        }
        final AdminSessions.Session session = session(r, false);
        switch (first) {
            case "commands" -> {
                if (second == null) {
                    method(r, "GET");
                    return done(200, catalog());
                }
                method(r, "POST");
                return command(r, session, commandType(second));
            }
            case "batch" -> {
                method(r, "POST");
                if (second == null) {
                    throw new AdminError(404, "NO_SUCH_PATH", "a batch names its command: POST /v1/batch/{COMMAND}");
                }
                return batch(r, session, commandType(second));
            }
            case "terminals" -> {
                if ("POST".equals(r.method()) && second == null) {
                    return registerTerminal(r, session);
                }
                method(r, "GET");
                view(session, Permissions.View.TERMINALS);
                return second == null ? terminals(r, session) : terminal(session, second);
            }
            case "cards" -> {
                if ("generate".equals(second)) {
                    method(r, "POST");
                    return generateCards(r, session);
                }
                method(r, "GET");
                view(session, Permissions.View.CARDS);
                if (second == null) {
                    throw new AdminError(404, "NO_SUCH_PATH", "a card is read by its number: GET /v1/cards/{pan}");
                }
                return history ? cardHistory(r, second) : card(second);
            }
            case "blacklist" -> {
                method(r, "GET");
                view(session, Permissions.View.CARDS);
                if (second != null) {
                    throw notFound(r);
                }
                final int from = from(r);
                return read(s -> Views.blacklist(s, from)).thenApply(AdminRoutes::ok);
            }
            case "merchants" -> {
                method(r, "GET");
                view(session, Permissions.View.MERCHANTS);
                return second == null ? merchants(r, session) : merchant(session, second);
            }
            case "deployers" -> {
                method(r, "GET");
                view(session, Permissions.View.MERCHANTS);
                if (second != null || !session.merchantScope().isEmpty()) {
                    // a merchant's own users see their merchant, not the operator's agents
                    throw notFound(r);
                }
                final int from = from(r);
                final int limit = limit(r);
                final boolean full = fullBankAccount(session);
                return read(s -> Views.deployers(s, from, limit, full)).thenApply(AdminRoutes::ok);
            }
            case "operators" -> {
                method(r, "GET");
                view(session, Permissions.View.OPERATORS);
                return second == null ? operators(r) : operator(second);
            }
            case "approvals" -> {
                method(r, "GET");
                view(session, Permissions.View.APPROVALS);
                if (second != null) {
                    final long id = pendingId(second);
                    return read(s -> Views.approval(s, id)).thenApply(approval -> {
                        if (approval == null) {
                            throw new AdminError(404, Reason.PENDING_NOT_FOUND.name(), "no pending request " + id);
                        }
                        return ok(approval);
                    });
                }
                final boolean all = "true".equals(r.query().get("all"));
                final int limit = limit(r);
                final int from = from(r);
                return read(s -> Views.approvals(s, !all, from, limit)).thenApply(AdminRoutes::ok);
            }
            case "settlements" -> {
                return settlement(r, session, second, settlementAction ? parts[2] : null);
            }
            case "clearing" -> {
                if (clearing == null) {
                    throw notFound(r);
                }
                if ("POST".equals(r.method())) {
                    return clearing.run(r, session, second);
                }
                method(r, "GET");
                return second == null ? clearing.days(r, session) : clearing.figures(r, session, second);
            }
            case "reports" -> {
                if (reports == null) {
                    throw notFound(r);
                }
                method(r, "GET");
                return reports.report(r, session, second);
            }
            case "reconciliation" -> {
                if (clearing == null) {
                    throw notFound(r);
                }
                if ("POST".equals(r.method())) {
                    return clearing.reconcile(r, session, second);
                }
                method(r, "GET");
                final CompletableFuture<int[]> held = read(dev.prepaid.ledger.LedgerState::reconciliationHeldDays);
                return second == null ? clearing.reconciliations(r, session, held)
                        : clearing.reconciliation(r, session, second, held);
            }
            case "audit" -> {
                method(r, "GET");
                view(session, Permissions.View.AUDIT);
                if (second != null) {
                    throw notFound(r);
                }
                return audit(r, session);
            }
            case "risk" -> {
                method(r, "GET");
                view(session, Permissions.View.RISK);
                if (second != null) {
                    throw notFound(r);
                }
                return risk(r, session);
            }
            case "status" -> {
                method(r, "GET");
                view(session, Permissions.View.STATUS);
                return read(Views::status).thenApply(status -> {
                    final Map<String, Object> body = new LinkedHashMap<>();
                    body.put("ledger", status);
                    body.put("switch", facts.get());
                    body.put("adminSessions", sessions.size());
                    return ok(body);
                });
            }
            default -> throw notFound(r);
        }
    }

    static AdminError notFound(final Request r) {
        return new AdminError(404, "NO_SUCH_PATH", "no " + r.path() + " here; see docs/admin-api.md (GET /v1/commands"
                + " lists the commands)");
    }

    static void method(final Request r, final String allowed) {
        if (!allowed.equals(r.method())) {
            throw new AdminError(405, "METHOD_NOT_ALLOWED", r.method() + " " + r.path() + " is not served; use "
                    + allowed);
        }
    }

    private static CompletableFuture<Reply> done(final int status, final Object body) {
        return CompletableFuture.completedFuture(new Reply(status, body));
    }

    private static Reply ok(final Object body) {
        return new Reply(200, body);
    }

    private <T> CompletableFuture<T> read(final Function<dev.prepaid.ledger.LedgerState, T> query) {
        return ledger.read(query);
    }

    // ------------------------------------------------------------------ sessions

    private AdminSessions.Session session(final Request r, final boolean passwordChangeAllowed) {
        if (r.token() == null) {
            throw new AdminError(401, "LOGIN_REQUIRED", "log in first: POST /v1/login, then send"
                    + " 'Authorization: Bearer <token>'");
        }
        final AdminSessions.Session session = sessions.find(r.token());
        if (session == null) {
            throw new AdminError(401, "LOGIN_REQUIRED", "the session token is unknown or expired; log in again");
        }
        if (session.mustChangePassword() && !passwordChangeAllowed) {
            throw new AdminError(403, Reason.PASSWORD_CHANGE_REQUIRED.name(), "the password was set by someone else:"
                    + " change it first (POST /v1/password, or 'prepaid-admin passwd')");
        }
        return session;
    }

    static void view(final AdminSessions.Session session, final Permissions.View view) {
        final Role role = Role.valueOf(session.role());
        if (!Permissions.allows(role, view)) {
            throw new AdminError(403, Reason.ROLE_NOT_PERMITTED.name(), role + " may not read "
                    + view.name().toLowerCase(Locale.ROOT) + "; allowed: " + Permissions.rolesFor(view));
        }
    }

    private static Map<String, Object> whoami(final AdminSessions.Session s) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("operatorId", s.operatorId());
        body.put("role", s.role());
        body.put("merchantScope", s.merchantScope());
        body.put("expiresAt", Instant.ofEpochMilli(s.expiresAtMillis()).toString());
        body.put("mustChangePassword", s.mustChangePassword());
        return body;
    }

    private CompletableFuture<Reply> login(final Request r) {
        final JsonNode body = body(r);
        final String operatorId = text(body, "operatorId", true);
        final char[] password = password(body, "password");
        if (operatorId.length() > 32) {
            Arrays.fill(password, '\0');
            throw AdminError.badField("operatorId", "operatorId is at most 32 characters");
        }
        return read(s -> Views.login(s, operatorId))
                .thenCompose(facts -> hashingAsync(() -> verify(password, facts)))
                .thenCompose(verified -> afterVerify(r, operatorId, verified));
    }

    private record Verified(Views.LoginFacts facts, boolean match) {
    }

    private Verified verify(final char[] password, final Views.LoginFacts facts) {
        try {
            if (!facts.exists() || !PasswordHasher.isWellFormed(facts.passwordHash())) {
                PasswordHasher.verify(password, dummyHash());
                return new Verified(facts, false);
            }
            return new Verified(facts, PasswordHasher.verify(password, facts.passwordHash()));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = hasher.hash("not a password of anyone".toCharArray());
            dummyHash = hash;
        }
        return hash;
    }

    private CompletableFuture<Reply> afterVerify(final Request r, final String operatorId, final Verified v) {
        final Views.LoginFacts facts = v.facts();
        final AdminError failed = new AdminError(401, "LOGIN_FAILED", "wrong operator id or password");
        if (!facts.exists()) {
            return CompletableFuture.failedFuture(failed);
        }
        final Envelope system = new Envelope(dev.prepaid.operator.Operator.SYSTEM_ID, 0, r.source(), "admin login");
        if (!v.match()) {
            if (facts.locked()) {
                return CompletableFuture.failedFuture(locked(operatorId));
            }
            return ledger.submit(system, new AdminCommand.RecordLoginFailure(operatorId)).thenApply(applied -> {
                if (applied.outcome().value2 == 1) {
                    throw locked(operatorId);
                }
                throw failed;
            });
        }
        return ledger.submit(system, new AdminCommand.RecordLogin(operatorId)).thenApply(applied -> {
            final Outcome out = applied.outcome();
            if (out.reason == Reason.OPERATOR_LOCKED) {
                throw locked(operatorId);
            }
            if (!out.approved()) {
                throw new AdminError(403, out.reason.name(), out.reason.description + " (" + out.detail + ")");
            }
            final AdminSessions.Session session = sessions.open(facts.operatorId(), facts.role(), facts.merchantScope(),
                    out.value1 == 1);
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", session.token());
            body.put("name", facts.name());
            body.putAll(whoami(session));
            return ok(body);
        });
    }

    private static AdminError locked(final String operatorId) {
        return new AdminError(403, Reason.OPERATOR_LOCKED.name(), "operator '" + operatorId + "' is locked (too many"
                + " wrong passwords, or by an administrator); an administrator unlocks it or resets its password");
    }

    private CompletableFuture<Reply> changePassword(final Request r, final AdminSessions.Session session) {
        final JsonNode body = body(r);
        final long requestId = requestId(body);
        final char[] current = password(body, "currentPassword");
        final char[] fresh;
        try {
            fresh = password(body, "newPassword");
        } catch (final AdminError e) {
            Arrays.fill(current, '\0');
            throw e;
        }
        if (fresh.length < MIN_PASSWORD_LENGTH) {
            Arrays.fill(current, '\0');
            Arrays.fill(fresh, '\0');
            throw AdminError.badField("newPassword", "a password is at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        final String operatorId = session.operatorId();
        return read(s -> Views.login(s, operatorId))
                .thenCompose(facts -> hashingAsync(() -> {
                    try {
                        if (!verify(current, facts).match()) {
                            throw new AdminError(403, "LOGIN_FAILED", "the current password is wrong", "currentPassword");
                        }
                        return hasher.hash(fresh, salt(operatorId, requestId, operatorId));
                    } finally {
                        Arrays.fill(fresh, '\0');
                    }
                }))
                .thenCompose(hash -> ledger.submit(envelope(session, requestId, text(body, "note", false), r),
                        new AdminCommand.ChangePassword(operatorId, hash)))
                .thenApply(applied -> {
                    final Reply reply = answer(CommandType.CHANGE_PASSWORD, applied);
                    if (applied.outcome().approved()) {
                        sessions.replace(session.withPasswordChanged());
                    }
                    return reply;
                });
    }

    /**
     * A salt derived from the request: a retry of the same request hashes the same password to the same value,
     * so the ledger recognises it as a repeat (a random salt would make it a "different command").
     */
    static byte[] salt(final String asker, final long requestId, final String target) {
        try {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("prepaid admin salt|" + asker + "|" + requestId + "|" + target).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha.digest(), PasswordHasher.SALT_BYTES);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> CompletableFuture<T> hashingAsync(final Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, hashing);
    }

    // ------------------------------------------------------------------ commands

    private static CommandType commandType(final String name) {
        try {
            final CommandType type = CommandType.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (type.recordClass != null) {
                return type;
            }
        } catch (final IllegalArgumentException e) {
            // answered below
        }
        throw new AdminError(404, "UNKNOWN_COMMAND", "no command '" + name + "'; GET /v1/commands lists them");
    }

    private static List<Map<String, Object>> catalog() {
        final List<Map<String, Object>> list = new ArrayList<>();
        for (final CommandType type : CommandType.values()) {
            if (type.recordClass == null) {
                continue;
            }
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("command", type.name());
            entry.put("code", type.code);
            entry.put("roles", Permissions.rolesFor(type).stream().filter(role -> role != Role.SYSTEM)
                    .map(Role::storedName).toList());
            entry.put("systemOnly", type.systemOnly());
            final Map<String, String> fields = CommandJson.fields(type);
            fields.remove("passwordHash");
            if (type == CommandType.UPSERT_OPERATOR || type == CommandType.RESET_PASSWORD) {
                fields.put("password", "text (top level, beside fields: hashed by the endpoint, never stored)");
            }
            entry.put("fields", fields);
            list.add(entry);
        }
        return list;
    }

    private CompletableFuture<Reply> command(final Request r, final AdminSessions.Session session, final CommandType type) {
        if (type == CommandType.CHANGE_PASSWORD) {
            throw new AdminError(400, "USE_PASSWORD_PATH", "an operator changes their password with POST /v1/password"
                    + " (it needs the current one)");
        }
        final JsonNode body = body(r);
        final long requestId = requestId(body);
        final String note = text(body, "note", false);
        onlyKeys(body, "a command request", "requestId", "note", "fields", "password");
        final boolean takesPassword = type == CommandType.UPSERT_OPERATOR || type == CommandType.RESET_PASSWORD;
        if (body.has("password") && !takesPassword) {
            throw AdminError.badField("password", type + " takes no password");
        }
        final Map<String, Object> given = new LinkedHashMap<>();
        if (takesPassword) {
            given.put("passwordHash", "");
        }
        final AdminCommand parsed = CommandJson.read(type, body.get("fields"), given);
        final Envelope envelope = envelope(session, requestId, note, r);
        if (type == CommandType.APPROVE) {
            return ledger.submit(envelope, parsed).thenCompose(applied -> {
                final Reply reply = answer(type, applied);
                // A retried approval exports again: the first answer may have been lost before its files were.
                return applied.outcome().approved()
                        ? withPayoutFiles(reply, envelope, ((AdminCommand.Approve) parsed).pendingId())
                        : CompletableFuture.completedFuture(reply);
            });
        }
        if (!takesPassword) {
            return ledger.submit(envelope, parsed).thenApply(applied -> {
                afterCommand(type, parsed, applied);
                return answer(type, applied);
            });
        }
        final String target = type == CommandType.UPSERT_OPERATOR ? ((AdminCommand.UpsertOperator) parsed).operatorId()
                : ((AdminCommand.ResetPassword) parsed).operatorId();
        if (!body.has("password") && type == CommandType.RESET_PASSWORD) {
            throw AdminError.badField("password", "RESET_PASSWORD needs the new password (top level, beside fields)");
        }
        if (!body.has("password")) {
            // A change of name, role, scope or status: the ledger keeps the operator's password.
            return ledger.submit(envelope, parsed).thenApply(applied -> {
                afterCommand(type, parsed, applied);
                return answer(type, applied);
            });
        }
        final char[] password = password(body, "password");
        if (password.length < MIN_PASSWORD_LENGTH) {
            Arrays.fill(password, '\0');
            throw AdminError.badField("password", "a password is at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        return hashingAsync(() -> {
            try {
                return hasher.hash(password, salt(session.operatorId(), requestId, target));
            } finally {
                Arrays.fill(password, '\0');
            }
        }).thenCompose(hash -> {
            final AdminCommand withHash = type == CommandType.UPSERT_OPERATOR ? withHash((AdminCommand.UpsertOperator) parsed,
                    hash) : new AdminCommand.ResetPassword(target, hash);
            final CompletableFuture<Applied> first = ledger.submit(envelope, withHash);
            if (type == CommandType.RESET_PASSWORD) {
                return first;
            }
            // A password an administrator set must be changed at the first login: the reset marks it so. Its
            // request id is the negated one of the request, so a retry repeats both commands exactly.
            return first.thenCompose(applied -> !applied.outcome().approved() ? CompletableFuture.completedFuture(applied)
                    : ledger.submit(envelope(session, -requestId, note, r), new AdminCommand.ResetPassword(target, hash))
                            .thenApply(reset -> applied));
        }).thenApply(applied -> {
            afterCommand(type, parsed, applied);
            return answer(type, applied);
        });
    }

    // ------------------------------------------------------------------ settlements and payouts

    /**
     * {@code GET /v1/settlements}, {@code GET /v1/settlements/{id}}, {@code POST /v1/settlements/{id}/export} (the
     * payout files made and written again) and {@code POST /v1/settlements/{id}/results} (the bank's result file).
     * Reads are the APPROVALS view; writes are the ledger's commands, so a role without them is refused by the
     * ledger, journaled and in the audit trail, before any file is touched.
     */
    private CompletableFuture<Reply> settlement(final Request r, final AdminSessions.Session session, final String second,
            final String action) {
        if (action == null) {
            method(r, "GET");
            view(session, Permissions.View.APPROVALS);
            if (second == null) {
                final int limit = limit(r);
                final int from = from(r);
                return read(s -> Views.settlements(s, from, limit)).thenApply(AdminRoutes::ok);
            }
            final long id = settlementId(second);
            final boolean full = fullBankAccount(session);
            return read(s -> Views.settlement(s, id, full)).thenApply(view -> {
                if (view == null) {
                    throw new AdminError(404, Reason.SETTLEMENT_NOT_FOUND.name(), "no settlement " + id);
                }
                return ok(view);
            });
        }
        method(r, "POST");
        final long id = settlementId(second);
        final JsonNode body = body(r);
        final long requestId = requestId(body);
        final String note = text(body, "note", false);
        final Envelope envelope = envelope(session, requestId, note, r);
        final Role role = Role.valueOf(session.role());
        switch (action) {
            case "export" -> {
                onlyKeys(body, "an export", "requestId", "note");
                if (!Permissions.allows(role, CommandType.RECORD_PAYOUT_FILES)) {
                    return refusedByTheLedger(envelope, CommandType.RECORD_PAYOUT_FILES,
                            new AdminCommand.RecordPayoutFiles(id, 0, "", "", "", ""));
                }
                return settlements.export(envelope, id).thenApply(AdminRoutes::ok);
            }
            case "results" -> {
                onlyKeys(body, "a result file", "requestId", "note", "file", "fileBase64");
                if (!Permissions.allows(role, CommandType.RECORD_PAYOUT_RESULT)) {
                    return refusedByTheLedger(envelope, CommandType.RECORD_PAYOUT_RESULT,
                            new AdminCommand.RecordPayoutResult(id, "", false, ""));
                }
                return settlements.results(envelope, id, resultFile(body), part -> derivedRequestId(requestId, part));
            }
            default -> throw notFound(r);
        }
    }

    /** Sends the command anyway, for the ledger to refuse and journal: a refusal is part of the audit trail. */
    private CompletableFuture<Reply> refusedByTheLedger(final Envelope envelope, final CommandType type,
            final AdminCommand command) {
        return ledger.submit(envelope, command).thenApply(applied -> answer(type, applied));
    }

    /** The result file's bytes: {@code file} as text, or {@code fileBase64} byte for byte. */
    private static byte[] resultFile(final JsonNode body) {
        final boolean text = body.has("file");
        if (text == body.has("fileBase64")) {
            throw AdminError.badField("file", "the bank's result file is required, once: \"file\" (its text) or"
                    + " \"fileBase64\" (its bytes)");
        }
        if (text) {
            if (!body.get("file").isTextual()) {
                throw AdminError.badField("file", "file must be text");
            }
            return body.get("file").textValue().getBytes(StandardCharsets.UTF_8);
        }
        if (!body.get("fileBase64").isTextual()) {
            throw AdminError.badField("fileBase64", "fileBase64 must be text (base64)");
        }
        try {
            return java.util.Base64.getDecoder().decode(body.get("fileBase64").textValue());
        } catch (final IllegalArgumentException e) {
            throw AdminError.badField("fileBase64", "fileBase64 is not base64: " + e.getMessage());
        }
    }

    private static long settlementId(final String text) {
        try {
            final long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (final NumberFormatException e) {
            // answered below
        }
        throw AdminError.badField("id", "a settlement id is a positive whole number, got '" + text + "'");
    }

    /**
     * After an approval the ledger applied: when it was a settlement's, its payout files are made, recorded and
     * written at once, and the answer carries them ({@code payoutFiles}); when that fails the approval stands (its
     * money is in transit) and the answer says why ({@code payoutFilesError}): {@code payout export} tries again.
     */
    private CompletableFuture<Reply> withPayoutFiles(final Reply reply, final Envelope approval, final long pendingId) {
        // A batch that only collects recharge cash pays nothing: it has no payout files.
        return read(s -> s.settlements().containsKey(pendingId) && s.settlements().get(pendingId).total() > 0)
                .thenCompose(isSettlement -> {
            if (!isSettlement) {
                return CompletableFuture.completedFuture(reply);
            }
            final Envelope envelope = new Envelope(approval.operatorId(), derivedRequestId(approval.requestId(), 1),
                    approval.source(), "payout files of settlement " + pendingId);
            CompletableFuture<Map<String, Object>> files;
            try {
                files = settlements.export(envelope, pendingId);
            } catch (final AdminError e) {
                files = CompletableFuture.failedFuture(e);
            }
            return files.handle((written, failure) -> {
                @SuppressWarnings("unchecked")
                final Map<String, Object> body = (Map<String, Object>) reply.body();
                if (failure == null) {
                    body.put("payoutFiles", written);
                } else {
                    body.put("payoutFilesError", errorOf(failure).body());
                }
                return reply;
            });
        });
    }

    private static AdminCommand.UpsertOperator withHash(final AdminCommand.UpsertOperator o, final String hash) {
        return new AdminCommand.UpsertOperator(o.operatorId(), o.name(), o.role(), o.merchantScope(), o.status(), hash);
    }

    /** Sessions of an operator whose role, lock or password just changed end: the next request logs in again. */
    private void afterCommand(final CommandType type, final AdminCommand command, final Applied applied) {
        if (!applied.outcome().approved()) {
            return;
        }
        switch (type) {
            case UPSERT_OPERATOR -> sessions.closeAll(((AdminCommand.UpsertOperator) command).operatorId());
            case RESET_PASSWORD -> sessions.closeAll(((AdminCommand.ResetPassword) command).operatorId());
            case LOCK_OPERATOR -> sessions.closeAll(((AdminCommand.LockOperator) command).operatorId());
            default -> {
                // no session depends on it
            }
        }
    }

    private static Envelope envelope(final AdminSessions.Session session, final long requestId, final String note,
            final Request r) {
        if (note.length() > 200) {
            throw AdminError.badField("note", "a note is at most 200 characters");
        }
        return new Envelope(session.operatorId(), requestId, r.source(), note);
    }

    /** The ledger's answer to a command as the client sees it: 200 with what it did, or its refusal. */
    static Reply answer(final CommandType type, final Applied applied) {
        final Outcome out = applied.outcome();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", type.name());
        body.put("journalSequence", applied.journalSequence());
        body.put("duplicate", out.duplicate);
        if (!out.approved()) {
            body.put("error", out.reason.name());
            body.put("reasonCode", out.reason.code);
            body.put("message", out.reason.description + (out.detail == null ? "" : ": " + out.detail));
            return new Reply(statusOf(out.reason), body);
        }
        body.put("result", "APPROVED");
        body.putAll(results(type, out));
        return new Reply(200, body);
    }

    /** The HTTP status of a ledger refusal: who may not (403), what was wrong (400), what is missing (404), else 409. */
    static int statusOf(final Reason reason) {
        return switch (reason) {
            case OPERATOR_UNKNOWN, OPERATOR_DISABLED, ROLE_NOT_PERMITTED, OUTSIDE_MERCHANT_SCOPE, SYSTEM_ONLY,
                    APPROVER_IS_MAKER, OPERATOR_LOCKED, PASSWORD_CHANGE_REQUIRED -> 403;
            case INVALID_ARGUMENT, UNKNOWN_PARAMETER, CARD_NUMBER_LENGTH, CARD_CHECK_DIGIT, AMOUNT_NOT_POSITIVE,
                    AMOUNT_TOO_LARGE -> 400;
            case ISSUER_NOT_FOUND, CARD_TYPE_NOT_FOUND, BIN_RANGE_NOT_FOUND, MERCHANT_NOT_FOUND, TERMINAL_NOT_FOUND,
                    OPERATOR_NOT_FOUND, RULE_NOT_FOUND, PENDING_NOT_FOUND, SETTLEMENT_NOT_FOUND, CARD_BIN_UNKNOWN,
                    CARD_NOT_ISSUED, REVIEW_ENTRY_NOT_FOUND -> 404;
            default -> 409;
        };
    }

    private static Map<String, Object> results(final CommandType type, final Outcome out) {
        final Map<String, Object> values = new LinkedHashMap<>();
        switch (type) {
            case GENERATE_CARDS, SELL_CARDS, RECHARGE_CARDS -> {
                values.put("firstPan", Pan.toDigits(out.value1));
                values.put("count", out.value2);
            }
            case REPLACE_CARD -> {
                values.put("newPan", Pan.toDigits(out.value1));
                values.put("fee", out.fee);
            }
            case REPORT_LOST -> values.put("fee", out.fee);
            case RETURN_CARD -> values.put("refunded", out.value1);
            case CANCEL_ISSUANCE -> values.put("refunded", out.value1);
            case REQUEST_ADJUSTMENT, REQUEST_BALANCE_TRANSFER -> values.put("pendingId", out.value1);
            case APPROVE, REJECT -> values.put("pendingId", out.value1);
            case CONFIRM_FLAG -> {
                values.put("entryId", out.value1);
                values.put("cardFrozen", out.value2 == 1);
            }
            case CLEAR_FLAG -> values.put("entryId", out.value1);
            case RECORD_COLLECTION_RESULT -> values.put("collected", out.value1);
            case SET_RECHARGE_SETTLEMENT -> values.put("changed", out.value1 == 1);
            case PREPARE_SETTLEMENT -> {
                values.put("settlementId", out.value1);
                values.put("total", out.value2);
            }
            default -> {
                if (out.value1 != 0 || out.value2 != 0) {
                    values.put("value1", out.value1);
                    values.put("value2", out.value2);
                }
            }
        }
        if (out.availableBalance >= 0) {
            values.put("availableBalance", out.availableBalance);
        }
        if (out.businessDate > 0) {
            values.put("businessDate", out.businessDate);
        }
        return values;
    }

    // ------------------------------------------------------------------ terminals with their keys

    /**
     * {@code POST /v1/terminals}: the terminal's fields and its TMK. The key is decrypted and checked against its
     * check value, stored under the master file key in the key file, and only then is the terminal registered
     * (UPSERT_TERMINAL naming the key by reference): a terminal is never registered with a key the switch lacks.
     */
    private CompletableFuture<Reply> registerTerminal(final Request r, final AdminSessions.Session session) {
        final JsonNode body = body(r);
        final long requestId = requestId(body);
        final String note = text(body, "note", false);
        onlyKeys(body, "a terminal registration", "requestId", "note", "fields", "tmk");
        final Map<String, Object> given = new LinkedHashMap<>();
        final JsonNode fields = body.get("fields");
        final String terminalId = fields != null && fields.hasNonNull("terminalId") && fields.get("terminalId").isTextual()
                ? fields.get("terminalId").textValue() : "";
        given.put("keyReference", TerminalKeys.referenceOf(terminalId));
        final AdminCommand.UpsertTerminal command = (AdminCommand.UpsertTerminal) CommandJson.read(
                CommandType.UPSERT_TERMINAL, fields, given);
        final JsonNode tmk = body.get("tmk");
        if (tmk == null || !tmk.isObject()) {
            throw AdminError.badField("tmk", "the terminal master key is required: {\"components\": [hex, hex(, hex)],"
                    + " \"checkValue\": hex} or {\"underTransportKey\": hex, \"transportKey\": name, \"checkValue\": hex}");
        }
        final TerminalKeys.Loaded loaded = terminalKeys.load(command.terminalId(), tmk);
        final Envelope envelope = envelope(session, requestId, note, r);
        final Role role = Role.valueOf(session.role());
        if (!Permissions.allows(role, CommandType.UPSERT_TERMINAL) || !session.merchantScope().isEmpty()
                && !session.merchantScope().equals(command.merchantId())) {
            // Refused by the ledger below (and journaled, for the audit trail); no key is written for it.
            return ledger.submit(envelope, command).thenApply(applied -> answer(CommandType.UPSERT_TERMINAL, applied));
        }
        // The key file is written off the endpoint's event loop (file I/O would hold every other operator).
        return CompletableFuture.supplyAsync(() -> terminalKeys.store(loaded), hashing).thenCompose(previous ->
                ledger.submit(envelope, command).handle((applied, failure) -> {
            if (failure != null || !applied.outcome().approved()) {
                terminalKeys.restore(loaded, previous);
            }
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            final Reply reply = answer(CommandType.UPSERT_TERMINAL, applied);
            if (applied.outcome().approved() && reply.body() instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                final Map<String, Object> out = (Map<String, Object>) map;
                out.put("keyReference", loaded.reference());
                out.put("checkValue", loaded.checkValue());
            }
            return reply;
        }));
    }

    // ------------------------------------------------------------------ batches

    /** Items one batch request may carry (a CSV of 100,000 sales is a hundred requests). */
    static final int MAX_BATCH_ITEMS = 1_000;
    /** Commands of a batch or a production run outstanding on the ring at once. */
    private static final int WINDOW = 256;

    /**
     * {@code POST /v1/batch/{COMMAND}}: up to {@value #MAX_BATCH_ITEMS} commands of one type, each an ordinary
     * journaled command with its own request id derived from the batch's (so a retried batch repeats every item
     * and applies none twice). Every item is checked before any is published: a bad one refuses the whole batch
     * (400, naming {@code items[i].field}) and changes nothing. The answer lists each item's answer in order.
     */
    private CompletableFuture<Reply> batch(final Request r, final AdminSessions.Session session, final CommandType type) {
        if (type == CommandType.CHANGE_PASSWORD || type == CommandType.UPSERT_OPERATOR
                || type == CommandType.RESET_PASSWORD) {
            throw new AdminError(400, "NOT_IN_BATCH", type + " takes a password and is not sent in batches");
        }
        final JsonNode body = body(r);
        final long requestId = requestId(body);
        final String note = text(body, "note", false);
        onlyKeys(body, "a batch", "requestId", "note", "items");
        final JsonNode items = body.get("items");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_BATCH_ITEMS) {
            throw AdminError.badField("items", "items is a list of 1.." + MAX_BATCH_ITEMS + " objects of " + type
                    + "'s fields");
        }
        final List<AdminCommand> commands = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                commands.add(CommandJson.read(type, items.get(i), Map.of()));
            } catch (final AdminError e) {
                throw new AdminError(e.status, e.code, "items[" + i + "]: " + e.getMessage(),
                        "items[" + i + "]" + (e.field == null ? "" : "." + e.field));
            }
        }
        final Envelope envelope = envelope(session, requestId, note, r);
        return CompletableFuture.supplyAsync(() -> {
            final java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(WINDOW);
            final Reply[] replies = new Reply[commands.size()];
            for (int i = 0; i < commands.size(); i++) {
                final int index = i;
                window.acquireUninterruptibly();
                final Envelope item = new Envelope(envelope.operatorId(), derivedRequestId(requestId, i + 1),
                        envelope.source(), envelope.note());
                submitWaitingForRoom(item, commands.get(i)).whenComplete((applied, failure) -> {
                    replies[index] = failure != null ? errorOf(failure) : answer(type, applied);
                    window.release();
                });
            }
            window.acquireUninterruptibly(WINDOW);
            final List<Object> results = new ArrayList<>(replies.length);
            int approved = 0;
            for (final Reply reply : replies) {
                @SuppressWarnings("unchecked")
                final Map<String, Object> result = new LinkedHashMap<>((Map<String, Object>) reply.body());
                result.put("status", reply.status());
                approved += reply.status() == 200 ? 1 : 0;
                results.add(result);
            }
            final Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("command", type.name());
            answer.put("items", replies.length);
            answer.put("approved", approved);
            answer.put("refused", replies.length - approved);
            answer.put("results", results);
            return ok(answer);
        }, productionWork);
    }

    /** Submits, waiting (on the calling bulk thread) while the ring is full: POS traffic goes first. */
    private CompletableFuture<Applied> submitWaitingForRoom(final Envelope envelope, final AdminCommand command) {
        while (true) {
            final CompletableFuture<Applied> attempt = ledger.submit(envelope, command);
            if (attempt.isCompletedExceptionally()
                    && attempt.handle((a, e) -> e).join() instanceof LedgerAccess.Busy busy && busy.ringFull) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                continue;
            }
            return attempt;
        }
    }

    // ------------------------------------------------------------------ card production

    /** Cards one GENERATE_CARDS of a production run covers: a short turn of the ledger thread each. */
    static final int GENERATE_CHUNK = 2_000;
    static final int MAX_PRODUCTION = 10_000_000;

    private record RangeFacts(boolean found, int cardTypeId, boolean named, int validityMonths, int businessDate) {
    }

    /**
     * {@code POST /v1/cards/generate}: generates {@code count} cards of a BIN range (GENERATE_CARDS, in chunks of
     * {@value #GENERATE_CHUNK} so POS traffic is never held up for long), writes the card production file and the
     * PIN mailer on the switch's host, and loads each PIN check value (SET_PIN, issued by the switch on the
     * operator's behalf: the operator's request is the GENERATE_CARDS). Runs on the admin-work thread; answers
     * when every command is applied.
     */
    private CompletableFuture<Reply> generateCards(final Request r, final AdminSessions.Session session) {
        final JsonNode body = body(r);
        final long requestId = requestId(body);
        final String note = text(body, "note", false);
        onlyKeys(body, "a card production request", "requestId", "note", "fields", "expiry", "regionCode", "pins");
        final AdminCommand.GenerateCards asked = (AdminCommand.GenerateCards) CommandJson.read(CommandType.GENERATE_CARDS,
                body.get("fields"), Map.of());
        if (asked.count() < 1 || asked.count() > MAX_PRODUCTION) {
            throw AdminError.badField("count", "a production run is 1.." + MAX_PRODUCTION + " cards");
        }
        if (!asked.bin().matches("[0-9]{6,8}")) {
            throw AdminError.badField("bin", "a BIN is 6 to 8 digits");
        }
        final int expiryGiven = fourDigits(body, "expiry");
        final int regionCode = body.has("regionCode") ? threeDigits(body, "regionCode") : 120;
        final JsonNode pinsNode = body.get("pins");
        if (pinsNode != null && !pinsNode.isBoolean()) {
            throw AdminError.badField("pins", "pins is true (make a PIN per card and a PIN mailer) or false");
        }
        final boolean pins = pinsNode == null || pinsNode.booleanValue();
        final Envelope envelope = envelope(session, requestId, note, r);
        final Role role = Role.valueOf(session.role());
        if (!Permissions.allows(role, CommandType.GENERATE_CARDS)) {
            // Refused by the ledger (and journaled): no file is written.
            return ledger.submit(envelope, asked).thenApply(applied -> answer(CommandType.GENERATE_CARDS, applied));
        }
        final long bin = Long.parseLong(asked.bin());
        final int binLength = asked.bin().length();
        return read(s -> {
            final dev.prepaid.card.BinRange range = s.binRange(bin, binLength, asked.panLength());
            if (range == null) {
                return new RangeFacts(false, 0, false, 0, 0);
            }
            final dev.prepaid.card.CardType type = s.cardType(range.cardTypeId());
            return new RangeFacts(true, type.id(), type.named(), type.validityMonths(), s.businessDate());
        }).thenCompose(facts -> {
            if (!facts.found()) {
                // The ledger names the problem (and journals the refusal).
                return ledger.submit(envelope, asked).thenApply(applied -> answer(CommandType.GENERATE_CARDS, applied));
            }
            production.cvkOf(facts.cardTypeId());
            final int expiry = expiryGiven >= 0 ? expiryGiven : defaultExpiry(facts);
            return generateChunks(envelope, asked, 0, new ArrayList<>(), 0).thenApplyAsync(runs -> {
                if (runs.refusal() != null) {
                    return runs.refusal();
                }
                return writeProduction(session, requestId, r, runs.runs(), facts.cardTypeId(), expiry, regionCode, pins);
            }, productionWork);
        });
    }

    private record Chunks(List<CardProduction.Run> runs, Reply refusal) {
    }

    /** Publishes GENERATE_CARDS chunk by chunk; each chunk's request id derives from the request's, so a retry repeats. */
    private CompletableFuture<Chunks> generateChunks(final Envelope envelope, final AdminCommand.GenerateCards asked,
            final int done, final List<CardProduction.Run> runs, final int chunk) {
        if (done >= asked.count()) {
            return CompletableFuture.completedFuture(new Chunks(runs, null));
        }
        final int count = Math.min(GENERATE_CHUNK, asked.count() - done);
        final long id = chunk == 0 ? envelope.requestId() : derivedRequestId(envelope.requestId(), chunk);
        final Envelope chunkEnvelope = new Envelope(envelope.operatorId(), id, envelope.source(), envelope.note());
        return ledger.submit(chunkEnvelope, new AdminCommand.GenerateCards(asked.bin(), asked.panLength(), count))
                .thenCompose(applied -> {
                    if (!applied.outcome().approved()) {
                        final Reply refusal = answer(CommandType.GENERATE_CARDS, applied);
                        if (done > 0 && refusal.body() instanceof Map<?, ?> map) {
                            @SuppressWarnings("unchecked")
                            final Map<String, Object> out = (Map<String, Object>) map;
                            out.put("generatedBeforeRefusal", done);
                            out.put("message", out.get("message") + " (after " + done + " cards were generated; retry"
                                    + " with the same requestId to write their files)");
                        }
                        return CompletableFuture.completedFuture(new Chunks(runs, refusal));
                    }
                    runs.add(new CardProduction.Run(Pan.toDigits(applied.outcome().value1), (int) applied.outcome().value2));
                    return generateChunks(envelope, asked, done + count, runs, chunk + 1);
                });
    }

    /**
     * The request id of part {@code part} of a request (a production run's chunk, a batch's item): negative, so
     * never one a client draws, and the same on a retry of the request.
     */
    static long derivedRequestId(final long requestId, final int part) {
        long h = requestId * 0x9E3779B97F4A7C15L + part;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return h == 0 || h == Long.MIN_VALUE ? -1 : -Math.abs(h);
    }

    private Reply writeProduction(final AdminSessions.Session session, final long requestId, final Request r,
            final List<CardProduction.Run> runs, final int cardTypeId, final int expiry, final int regionCode,
            final boolean pins) {
        final Envelope system = new Envelope(dev.prepaid.operator.Operator.SYSTEM_ID, 0, r.source(),
                "PIN of production " + requestId + " by " + session.operatorId());
        // At most this many PIN loads are outstanding: the run never floods the ring or the heap.
        final java.util.concurrent.Semaphore outstanding = new java.util.concurrent.Semaphore(4096);
        final java.util.concurrent.atomic.AtomicInteger loaded = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger refusedCount = new java.util.concurrent.atomic.AtomicInteger();
        final CardProduction.Written written;
        try {
            written = production.write(requestId, runs, cardTypeId, expiry, regionCode, pins, (pan, check) -> {
                outstanding.acquireUninterruptibly();
                submitWaitingForRoom(system, new AdminCommand.SetPin(pan, check)).whenComplete((applied, failure) -> {
                    if (failure == null && applied.outcome().approved()) {
                        loaded.incrementAndGet();
                    } else {
                        refusedCount.incrementAndGet();
                    }
                    outstanding.release();
                });
            });
        } catch (final java.io.IOException e) {
            throw new AdminError(500, "CARD_FILES", "the card files could not be written: " + e.getMessage()
                    + "; the cards are generated: retry with the same requestId to write them");
        }
        outstanding.acquireUninterruptibly(4096);
        final int refused = refusedCount.get();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", CommandType.GENERATE_CARDS.name());
        body.put("result", refused == 0 ? "APPROVED" : "PINS_NOT_ALL_LOADED");
        body.put("cards", written.cards());
        body.put("runs", runs);
        body.put("cardType", cardTypeId);
        body.put("expiry", String.format(Locale.ROOT, "%04d", expiry));
        body.put("regionCode", String.format(Locale.ROOT, "%03d", regionCode));
        body.put("productionFile", written.production().toString());
        body.put("productionSha256", written.productionSha256());
        if (written.pinMailer() != null) {
            body.put("pinMailerFile", written.pinMailer().toString());
            body.put("pinMailerSha256", written.pinMailerSha256());
            body.put("pinsLoaded", loaded.get());
        }
        return new Reply(refused == 0 ? 200 : 409, body);
    }

    private static int defaultExpiry(final RangeFacts facts) {
        // The printed expiry: the card type's validity from today (named cards have none in the ledger: 5 years).
        final int months = facts.named() || facts.validityMonths() == 0 ? 60 : facts.validityMonths();
        final int date = facts.businessDate() == 0 ? 20260101 : facts.businessDate();
        final int total = date / 10_000 * 12 + (date / 100 % 100 - 1) + months;
        return total / 12 % 100 * 100 + total % 12 + 1;
    }

    private static int fourDigits(final JsonNode body, final String name) {
        final JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return -1;
        }
        if (!node.isTextual() || !node.textValue().matches("[0-9]{2}(0[1-9]|1[0-2])")) {
            throw AdminError.badField(name, name + " is the printed expiry YYMM, e.g. \"3112\"");
        }
        return Integer.parseInt(node.textValue());
    }

    private static int threeDigits(final JsonNode body, final String name) {
        final JsonNode node = body.get(name);
        if (!node.isTextual() || !node.textValue().matches("[0-9]{3}")) {
            throw AdminError.badField(name, name + " is the track 2 region (service) code, 3 digits, e.g. \"120\"");
        }
        return Integer.parseInt(node.textValue());
    }

    // ------------------------------------------------------------------ reads

    private CompletableFuture<Reply> card(final String pan) {
        if (!pan.matches("[0-9]{12,19}")) {
            throw AdminError.badField("pan", "a card number is 12 to 19 digits, got '" + Views.maskPan(pan) + "'");
        }
        return ledger.readBriefly(s -> Views.card(s, pan)).thenApply(card -> {
            if (card == null) {
                throw new AdminError(404, Reason.CARD_NOT_ISSUED.name(), "no card " + Views.maskPan(pan)
                        + " was issued by this switch");
            }
            return ok(card);
        });
    }

    private CompletableFuture<Reply> cardHistory(final Request r, final String pan) {
        if (!pan.matches("[0-9]{12,19}")) {
            throw AdminError.badField("pan", "a card number is 12 to 19 digits, got '" + Views.maskPan(pan) + "'");
        }
        final String beforeText = r.query().get("before");
        final long before;
        try {
            before = beforeText == null ? 0 : Long.parseLong(beforeText);
        } catch (final NumberFormatException e) {
            throw AdminError.badField("before", "before is the next of the previous page (an RRN), got '" + beforeText + "'");
        }
        final int limit = number(r, "limit", 20, 1, Views.MAX_PAGE);
        return read(s -> Views.history(s, pan, before, limit)).thenApply(page -> {
            if (page == null) {
                throw new AdminError(404, Reason.CARD_NOT_ISSUED.name(), "no card " + Views.maskPan(pan)
                        + " was issued by this switch");
            }
            return ok(page);
        });
    }

    /** Administrators (who change merchants) and finance (who pay them) see the whole payout account. */
    private static boolean fullBankAccount(final AdminSessions.Session session) {
        return Role.ADMINISTRATOR.storedName().equals(session.role()) || Role.FINANCE.storedName().equals(session.role());
    }

    private static long pendingId(final String text) {
        try {
            final long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (final NumberFormatException e) {
            // answered below
        }
        throw AdminError.badField("id", "a pending request id is a positive whole number, got '" + text + "'");
    }

    private CompletableFuture<Reply> merchants(final Request r, final AdminSessions.Session session) {
        final int from = from(r);
        final int limit = limit(r);
        final String scope = session.merchantScope();
        final boolean full = fullBankAccount(session);
        return read(s -> Views.merchants(s, from, limit, scope, full)).thenApply(AdminRoutes::ok);
    }

    private CompletableFuture<Reply> merchant(final AdminSessions.Session session, final String merchantId) {
        scope(session, merchantId);
        final boolean full = fullBankAccount(session);
        return read(s -> s.merchant(merchantId) == null ? null : Views.merchant(s, s.merchant(merchantId), full))
                .thenApply(view -> {
                    if (view == null) {
                        throw new AdminError(404, Reason.MERCHANT_NOT_FOUND.name(), "no merchant '" + merchantId + "'");
                    }
                    return ok(view);
                });
    }

    private CompletableFuture<Reply> terminals(final Request r, final AdminSessions.Session session) {
        final int from = from(r);
        final int limit = limit(r);
        String merchant = r.query().getOrDefault("merchant", "");
        if (!session.merchantScope().isEmpty()) {
            if (!merchant.isEmpty()) {
                scope(session, merchant);
            }
            merchant = session.merchantScope();
        }
        final String filter = merchant;
        return read(s -> Views.terminals(s, from, limit, filter)).thenApply(AdminRoutes::ok);
    }

    private CompletableFuture<Reply> terminal(final AdminSessions.Session session, final String terminalId) {
        return read(s -> {
            final dev.prepaid.merchant.Terminal t = s.terminal(terminalId);
            return t == null ? null : Views.terminal(t);
        }).thenApply(view -> {
            // A scoped operator is told "not found" for another merchant's terminal as for a missing one.
            if (view == null || !session.merchantScope().isEmpty() && !session.merchantScope().equals(view.merchantId())) {
                throw new AdminError(404, Reason.TERMINAL_NOT_FOUND.name(), "no terminal '" + terminalId + "'"
                        + (session.merchantScope().isEmpty() ? "" : " at merchant " + session.merchantScope()));
            }
            return ok(view);
        });
    }

    private CompletableFuture<Reply> operators(final Request r) {
        final int from = from(r);
        final int limit = limit(r);
        return read(s -> Views.operators(s, from, limit)).thenApply(AdminRoutes::ok);
    }

    private CompletableFuture<Reply> operator(final String operatorId) {
        return read(s -> {
            final int o = s.operatorIndex(operatorId);
            return o < 0 ? null : Views.operator(s, o);
        }).thenApply(view -> {
            if (view == null) {
                throw new AdminError(404, Reason.OPERATOR_NOT_FOUND.name(), "no operator '" + operatorId + "'");
            }
            return ok(view);
        });
    }

    /**
     * {@code GET /v1/audit}: the audit trail, newest first, filtered by {@code operator}, {@code target} (a card
     * number, an id or a number), {@code command} (a type name), {@code from}/{@code to} (an ISO date: the business
     * date, both ends included; or epoch milliseconds: from included, to excluded) and {@code result}
     * ({@code approved} or {@code refused}); paged by {@code limit} and {@code before} (a journal sequence). A scoped
     * operator sees the entries about its merchant and its terminals only.
     */
    private CompletableFuture<Reply> audit(final Request r, final AdminSessions.Session session) {
        final Map<String, String> q = r.query();
        for (final String name : q.keySet()) {
            if (!List.of("operator", "target", "command", "from", "to", "result", "limit", "before").contains(name)) {
                throw AdminError.badField(name, "the audit trail is filtered by operator, target, command, from, to and"
                        + " result, and paged by limit and before; not '" + name + "'");
            }
        }
        final String operator = emptyToNull(q.get("operator"));
        final String target = emptyToNull(q.get("target"));
        Integer command = null;
        if (emptyToNull(q.get("command")) != null) {
            try {
                command = commandType(q.get("command")).code;
            } catch (final AdminError e) {
                throw AdminError.badField("command", "command is a command's name as GET /v1/commands lists it (e.g."
                        + " FREEZE_CARD), got '" + q.get("command") + "'");
            }
        }
        long fromMillis = Long.MIN_VALUE;
        long toMillis = Long.MAX_VALUE;
        int fromDate = 0;
        int toDate = 0;
        final Object from = instantOrDate(r, "from");
        final Object to = instantOrDate(r, "to");
        if (from instanceof Long millis) {
            fromMillis = millis;
        } else if (from instanceof Integer date) {
            fromDate = date;
        }
        if (to instanceof Long millis) {
            toMillis = millis;
        } else if (to instanceof Integer date) {
            toDate = date;
        }
        Boolean approved = null;
        final String result = emptyToNull(q.get("result"));
        if (result != null) {
            approved = switch (result.toLowerCase(Locale.ROOT)) {
                case "approved" -> Boolean.TRUE;
                case "refused" -> Boolean.FALSE;
                default -> throw AdminError.badField("result", "result is approved or refused, got '" + result + "'");
            };
        }
        final AuditQuery.Filter filter = new AuditQuery.Filter(operator, target, command, fromMillis, toMillis, fromDate,
                toDate, approved, session.merchantScope());
        final long before = before(r);
        final int limit = limit(r);
        return read(s -> Views.audit(s, filter, before, limit)).thenApply(AdminRoutes::ok);
    }

    /** {@code GET /v1/risk}: the review queue, newest first, by {@code state}; paged by {@code limit} and {@code before} (an id). */
    private CompletableFuture<Reply> risk(final Request r, final AdminSessions.Session session) {
        for (final String name : r.query().keySet()) {
            if (!List.of("state", "limit", "before").contains(name)) {
                throw AdminError.badField(name, "the review queue is filtered by state and paged by limit and before;"
                        + " not '" + name + "'");
            }
        }
        final String given = emptyToNull(r.query().get("state"));
        ReviewQueue.State state = null;
        if (given != null) {
            try {
                state = ReviewQueue.State.valueOf(given.toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw AdminError.badField("state", "state is open, confirmed or cleared, got '" + given + "'");
            }
        }
        final ReviewQueue.State wanted = state;
        final long before = before(r);
        final int limit = limit(r);
        final String scope = session.merchantScope();
        return read(s -> Views.risk(s, wanted, before, limit, scope)).thenApply(AdminRoutes::ok);
    }

    private static String emptyToNull(final String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** A {@code yyyy-mm-dd} business date (as yyyymmdd, an Integer), epoch milliseconds (a Long), or null. */
    private static Object instantOrDate(final Request r, final String name) {
        final String value = emptyToNull(r.query().get(name));
        if (value == null) {
            return null;
        }
        if (value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            try {
                final java.time.LocalDate date = java.time.LocalDate.parse(value);
                return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
            } catch (final java.time.format.DateTimeParseException e) {
                // answered below
            }
        } else if (value.matches("[0-9]{1,18}")) {
            return Long.parseLong(value);
        }
        throw AdminError.badField(name, name + " is a business date (yyyy-mm-dd) or epoch milliseconds, got '" + value
                + "'");
    }

    private static long before(final Request r) {
        final String value = r.query().get("before");
        if (value == null) {
            return Long.MAX_VALUE;
        }
        try {
            final long n = Long.parseLong(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (final NumberFormatException e) {
            throw AdminError.badField("before", "before is the 'next' of the previous page (a positive whole number), got '"
                    + value + "'");
        }
    }

    static void scope(final AdminSessions.Session session, final String merchantId) {
        if (!session.merchantScope().isEmpty() && !session.merchantScope().equals(merchantId)) {
            throw new AdminError(403, Reason.OUTSIDE_MERCHANT_SCOPE.name(), "operator '" + session.operatorId()
                    + "' sees only merchant " + session.merchantScope());
        }
    }

    static int from(final Request r) {
        return number(r, "from", 0, 0, Integer.MAX_VALUE);
    }

    static int limit(final Request r) {
        return number(r, "limit", 100, 1, Views.MAX_PAGE);
    }

    private static int number(final Request r, final String name, final int otherwise, final int min, final int max) {
        final String value = r.query().get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            final int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (final NumberFormatException e) {
            throw AdminError.badField(name, name + " must be a whole number " + min + ".." + max + ", got '" + value + "'");
        }
    }

    // ------------------------------------------------------------------ JSON bodies

    private JsonNode body(final Request r) {
        if (r.body() == null || r.body().length == 0) {
            throw new AdminError(400, "BAD_JSON", "the request needs a JSON object as its body");
        }
        final JsonNode node;
        try {
            node = json.readTree(r.body());
        } catch (final JsonProcessingException e) {
            throw new AdminError(400, "BAD_JSON", "the body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (final java.io.IOException e) {
            throw new AdminError(400, "BAD_JSON", "the body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new AdminError(400, "BAD_JSON", "the body must be a JSON object");
        }
        return node;
    }

    /** Refuses a key of the body that is none of {@code keys}, naming it and the ones {@code what} has. */
    private static void onlyKeys(final JsonNode body, final String what, final String... keys) {
        final List<String> allowed = List.of(keys);
        for (final java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!allowed.contains(name)) {
                throw AdminError.badField(name, what + " has " + String.join(", ", allowed) + "; not '" + name + "'");
            }
        }
    }

    private static long requestId(final JsonNode body) {
        final JsonNode id = body.get("requestId");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
            throw AdminError.badField("requestId", "requestId is required: a positive whole number the client chooses"
                    + " at random for each request and repeats only to retry it (a retry gets the first answer)");
        }
        return id.longValue();
    }

    private static String text(final JsonNode body, final String name, final boolean required) {
        final JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw AdminError.badField(name, name + " is required");
            }
            return "";
        }
        if (!node.isTextual()) {
            throw AdminError.badField(name, name + " must be text");
        }
        return node.textValue();
    }

    /** A password out of the JSON as characters (wiped by the caller); never logged, never in a message. */
    private static char[] password(final JsonNode body, final String name) {
        final JsonNode node = body.get(name);
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw AdminError.badField(name, name + " is required (text)");
        }
        if (node.textValue().length() > 256) {
            throw AdminError.badField(name, name + " is at most 256 characters");
        }
        return node.textValue().toCharArray();
    }
}
