package dev.prepaid.journal.tools;

import static dev.prepaid.journal.tools.ToolJournal.admin;
import static dev.prepaid.journal.tools.ToolJournal.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.Pan;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.workload.Workload;
import dev.prepaid.journal.tools.ToolJournal.Run;
import dev.prepaid.journal.tools.ToolJournal.Written;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal tools against one journal written like the live switch writes it: the workload's business and
 * traffic over two and a half hours, two snapshots, and a few hand-made commands carrying secrets (a password
 * hash, PIN check values, a card number typed into a note) that must never reach the output.
 */
class JournalToolsTest {
    static final long SECRET_PIN_CHECK = 0x5EC2_E7C0_FFEEL;
    static final String PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0c2FsdA$TOPSECRETHASHVALUE";
    static final int CARDS = 200;

    @TempDir
    static Path directory;
    static Path journalDir;
    static List<Written> written;
    static long firstSnapshot;
    static long secondSnapshot;
    static long secretPurchase;

    @BeforeAll
    static void writeJournal() throws Exception {
        journalDir = directory.resolve("journal");
        try (ToolJournal live = new ToolJournal(journalDir)) {
            final Workload workload = new Workload(CARDS, 20, 42, 0);
            live.setUp(workload);
            live.stream(workload, 2_000);
            live.submit(admin("system", "customer " + Workload.pan(1) + " called about it",
                    new AdminCommand.UpsertOperator("auditor1", "Audit Person", Role.AUDITOR, "", OperatorStatus.ACTIVE,
                            PASSWORD_HASH)));
            new PosRequest().wrapForEncode(live.event.command, 0).kind(PosKind.PURCHASE).terminalId(Workload.terminalId(0))
                    .merchantId(Workload.merchantId(0)).batch(1).stan(900_001).pan(Workload.pan(2)).amount(123)
                    .pinCheck(SECRET_PIN_CHECK).entryMode(21);
            final Outcome wrongPin = live.submit(PosRequest.LENGTH);
            assertThat(wrongPin.reason).isEqualTo(Reason.PIN_WRONG);
            secretPurchase = live.lastSequence();
            live.submit(admin("clerk", "", new AdminCommand.SetPin(Workload.pan(3), SECRET_PIN_CHECK)));
            live.stream(workload, 1_000);
            live.snapshot();
            firstSnapshot = live.lastSequence();
            live.stream(workload, 2_000);
            live.snapshot();
            secondSnapshot = live.lastSequence();
            live.stream(workload, 1_000);
            written = live.written;
        }
    }

    private static String[] args(final String tool, final String... more) {
        final String[] all = new String[more.length + 3];
        all[0] = tool;
        all[1] = "--journal";
        all[2] = journalDir.toString();
        System.arraycopy(more, 0, all, 3, more.length);
        return all;
    }

    private static long count(final Predicate<Written> which) {
        return written.stream().filter(which).count();
    }

    private static final Pattern LINE = Pattern.compile(
            "^(\\d+) (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+08:00) (.*)$");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ToolJournal.ZONE);

    private static long sequenceOf(final String line) {
        final Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as("line format: %s", line).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void assertNoSecrets(final String output) {
        for (int card = 0; card < CARDS; card++) {
            assertThat(output).doesNotContain(Workload.pan(card));
        }
        assertThat(output).doesNotContain(Long.toString(SECRET_PIN_CHECK)).doesNotContainIgnoringCase(
                Long.toHexString(SECRET_PIN_CHECK));
        assertThat(output).doesNotContain(Long.toString(Workload.PIN_CHECK))
                .doesNotContain(Long.toHexString(Workload.PIN_CHECK));
        assertThat(output).doesNotContain("TOPSECRETHASH").doesNotContain("argon2id").doesNotContain("c2VjcmV0c2FsdA");
    }

    // ------------------------------------------------------------------ dump

    @Test
    void dumpWritesEveryCommandOnceInOrderWithCardsMaskedAndSecretsHidden() {
        final Run dump = run(args("dump"));
        assertThat(dump.status()).as(dump.err()).isZero();
        final List<String> lines = dump.lines();
        assertThat(lines).hasSize(written.size());
        for (int i = 0; i < lines.size(); i++) {
            final Written command = written.get(i);
            final Matcher m = LINE.matcher(lines.get(i));
            assertThat(m.matches()).as(lines.get(i)).isTrue();
            assertThat(Long.parseLong(m.group(1))).isEqualTo(command.sequence());
            assertThat(m.group(2)).isEqualTo(ISO.format(Instant.ofEpochMilli(command.timestamp())));
            assertThat(m.group(3)).startsWith(command.type() + " ");
        }
        assertNoSecrets(dump.out());
        // First 6 and last 4 digits, and the POS fields an operator looks for.
        final String purchase = lines.get((int) secretPurchase - 1);
        assertThat(purchase).contains("POS PURCHASE terminal=30000000 merchant=998310048900000 card="
                + Pan.mask(Workload.pan(2)) + " amount=1.23 batch=000001 stan=900001 pin=entered entry=021");
        assertThat(Pan.mask(Workload.pan(2))).matches("888800\\*{6}\\d{4}");
        final String operator = lines.get((int) secretPurchase - 2);
        assertThat(operator).contains("UPSERT_OPERATOR by system request=0 source=test note=\"customer "
                + Pan.mask(Workload.pan(1)) + " called about it\": operatorId=auditor1 name=\"Audit Person\" role=AUDITOR "
                + "status=ACTIVE passwordHash=<hidden>");
        assertThat(lines.get((int) secretPurchase)).contains("SET_PIN by clerk").contains("pan=" + Pan.mask(Workload.pan(3)))
                .contains("pinCheck=<hidden>");
        assertThat(dump.out()).contains("SELL_CARDS by clerk request=0 source=workload: firstPan=" + Pan.mask(Workload.pan(0))
                + " count=200 faceValue=500.00 payment=BANK_TRANSFER");
    }

    @Test
    void dumpFiltersByCard() {
        final String pan = Workload.pan(5);
        final Run dump = run(args("dump", "--card", pan));
        assertThat(dump.status()).as(dump.err()).isZero();
        // Every command naming the card, and the sale of the run of cards that covers it.
        assertThat(dump.lines()).hasSize((int) (count(w -> pan.equals(w.pan())) + count(w -> w.type().equals("SELL_CARDS"))));
        assertThat(count(w -> pan.equals(w.pan()) && w.type().startsWith("POS"))).isGreaterThan(5);
        for (final String line : dump.lines()) {
            assertThat(line).satisfiesAnyOf(l -> assertThat(l).contains(Pan.mask(pan)), l -> assertThat(l).contains("SELL_CARDS"));
        }
        assertNoSecrets(dump.out());
        final Run other = run(args("dump", "--card", Workload.pan(CARDS + 5)));
        assertThat(other.status()).isZero();
        assertThat(other.lines()).isEmpty();
    }

    @Test
    void dumpFiltersByTerminalAndByMerchant() {
        final Run terminal = run(args("dump", "--terminal", Workload.terminalId(3)));
        assertThat(terminal.status()).as(terminal.err()).isZero();
        assertThat(terminal.lines()).hasSize((int) count(w -> Workload.terminalId(3).equals(w.terminal())))
                .allSatisfy(line -> assertThat(line).contains("30000003"));
        assertThat(terminal.lines()).anySatisfy(line -> assertThat(line).contains("UPSERT_TERMINAL"));

        final String merchant = Workload.merchantId(1);
        final Run byMerchant = run(args("dump", "--merchant", merchant));
        assertThat(byMerchant.status()).as(byMerchant.err()).isZero();
        assertThat(byMerchant.lines()).hasSize((int) count(w -> merchant.equals(w.merchant())))
                .allSatisfy(line -> assertThat(line).contains(merchant));
        assertThat(count(w -> merchant.equals(w.merchant()) && w.type().startsWith("POS"))).isGreaterThan(100);
    }

    @Test
    void dumpFiltersByTypeSequenceTimeAndLimit() {
        final Run types = run(args("dump", "--type", "purchase,CUTOVER"));
        assertThat(types.status()).as(types.err()).isZero();
        assertThat(types.lines()).hasSize((int) count(w -> w.type().equals("POS PURCHASE") || w.type().equals("CUTOVER")))
                .allSatisfy(line -> assertThat(line).containsAnyOf(" POS PURCHASE ", " CUTOVER "));

        final Run pos = run(args("dump", "--type", "POS", "--limit", "50"));
        assertThat(pos.lines()).hasSize(50).allSatisfy(line -> assertThat(line).contains(" POS "));

        final Run sequences = run(args("dump", "--from", "100", "--to", "150"));
        assertThat(sequences.lines()).hasSize(51);
        assertThat(sequenceOf(sequences.lines().get(0))).isEqualTo(100);
        assertThat(sequenceOf(sequences.lines().get(50))).isEqualTo(150);

        final long from = ZonedDateTime.of(2026, 1, 5, 10, 0, 0, 0, ToolJournal.ZONE).toInstant().toEpochMilli();
        final long to = from + 3_600_000;
        final Run hour = run(args("dump", "--from", "2026-01-05T10:00", "--to", "2026-01-05 11:00"));
        assertThat(hour.lines()).hasSize((int) count(w -> w.timestamp() >= from && w.timestamp() < to)).hasSizeGreaterThan(2_000);
        assertThat(hour.lines().get(0)).contains("2026-01-05T10:00:");
        assertThat(hour.lines().get(hour.lines().size() - 1)).contains("2026-01-05T10:59:");
        // The same hour written in UTC, and a whole day.
        assertThat(run(args("dump", "--from", "2026-01-05T02:00:00Z", "--to", "2026-01-05T03:00:00Z")).lines())
                .isEqualTo(hour.lines());
        assertThat(run(args("dump", "--from", "2026-01-05", "--to", "2026-01-05")).lines()).hasSize(written.size());
        assertThat(run(args("dump", "--from", "2026-01-06")).lines()).isEmpty();

        final Run limited = run(args("dump", "--type", "PURCHASE", "--terminal", Workload.terminalId(4), "--limit", "3"));
        assertThat(limited.lines()).hasSize(3).allSatisfy(line -> assertThat(line).contains("POS PURCHASE terminal=30000004"));
    }

    @Test
    void dumpWithOutcomesShowsWhatTheLiveLedgerAnswered() {
        final Run dump = run(args("dump", "--outcomes"));
        assertThat(dump.status()).as(dump.err()).isZero();
        assertThat(dump.lines()).hasSize(written.size());
        final Pattern outcome = Pattern.compile(" => (\\S\\S \\S+)");
        for (int i = 0; i < written.size(); i++) {
            final Matcher m = outcome.matcher(dump.lines().get(i));
            assertThat(m.find()).as(dump.lines().get(i)).isTrue();
            assertThat(m.group(1)).as(dump.lines().get(i)).isEqualTo(written.get(i).outcome());
        }
        assertThat(dump.lines().get((int) secretPurchase - 1)).contains("=> 55 PIN_WRONG");
        assertThat(dump.out()).contains("=> 00 APPROVED rrn=").contains(" available=")
                .contains("first-card=" + Pan.mask(Workload.pan(0)) + " cards=200");
        assertNoSecrets(dump.out());

        // After a snapshot: the replay starts from it and still gives the live answers.
        final Run late = run(args("dump", "--outcomes", "--from", Long.toString(secondSnapshot + 1), "--limit", "300"));
        assertThat(late.status()).as(late.err()).isZero();
        assertThat(late.err()).contains("snapshot-").contains("(sequence " + secondSnapshot + ")");
        assertThat(late.lines()).hasSize(300);
        for (int i = 0; i < 300; i++) {
            final Matcher m = outcome.matcher(late.lines().get(i));
            assertThat(m.find()).isTrue();
            assertThat(m.group(1)).isEqualTo(written.get((int) secondSnapshot + i).outcome());
        }

        // A time window with a filter.
        final Run window = run(args("dump", "--outcomes", "--from", "2026-01-05T11:15", "--to", "2026-01-05T11:20",
                "--type", "PURCHASE"));
        final long from = ZonedDateTime.of(2026, 1, 5, 11, 15, 0, 0, ToolJournal.ZONE).toInstant().toEpochMilli();
        final List<Written> expected = written.stream()
                .filter(w -> w.timestamp() >= from && w.timestamp() < from + 300_000 && w.type().equals("POS PURCHASE")).toList();
        assertThat(window.lines()).hasSize(expected.size()).isNotEmpty();
        for (int i = 0; i < expected.size(); i++) {
            assertThat(sequenceOf(window.lines().get(i))).isEqualTo(expected.get(i).sequence());
            assertThat(window.lines().get(i)).contains("=> " + expected.get(i).outcome());
        }
    }

    // ------------------------------------------------------------------ stats

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(ToolJournal.ZONE);

    private static long row(final String output, final String name) {
        final Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(name) + " +(\\d+) ").matcher(output);
        assertThat(m.find()).as("row %s in\n%s", name, output).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void statsCountsPerTypeAndHourAndTheBusiestHour() {
        final Run stats = run(args("stats"));
        assertThat(stats.status()).as(stats.err()).isZero();
        final Map<String, Long> byType = written.stream().collect(Collectors.groupingBy(Written::type, Collectors.counting()));
        assertThat(byType).containsKeys("POS PURCHASE", "POS BALANCE_INQUIRY", "POS RECHARGE", "POS PREAUTH", "POS SIGN_ON",
                "SELL_CARDS", "UPSERT_TERMINAL", "RECHARGE_CARDS");
        for (final Map.Entry<String, Long> entry : byType.entrySet()) {
            assertThat(row(stats.out(), entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        final Map<String, Long> byHour = new TreeMap<>(written.stream()
                .collect(Collectors.groupingBy(w -> HOUR.format(Instant.ofEpochMilli(w.timestamp())
                        .atZone(ToolJournal.ZONE).truncatedTo(java.time.temporal.ChronoUnit.HOURS)), Collectors.counting())));
        assertThat(byHour.keySet()).containsExactly("2026-01-05 09:00", "2026-01-05 10:00", "2026-01-05 11:00",
                "2026-01-05 12:00");
        for (final Map.Entry<String, Long> entry : byHour.entrySet()) {
            assertThat(row(stats.out(), entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        // One command every 1.5 s: 2,400 in a full hour.
        assertThat(byHour.get("2026-01-05 10:00")).isEqualTo(2_400);
        assertThat(stats.out()).contains("commands " + written.size() + " (sequences 1.." + written.size() + ")")
                .contains("busiest hour 2026-01-05 10:00: 2400 commands, 0.67 per second")
                .contains("busiest second ").contains(": 1 command\n");

        final Run purchases = run(args("stats", "--type", "PURCHASE", "--from", "2026-01-05T11:00"));
        assertThat(purchases.status()).isZero();
        final long from = ZonedDateTime.of(2026, 1, 5, 11, 0, 0, 0, ToolJournal.ZONE).toInstant().toEpochMilli();
        assertThat(row(purchases.out(), "POS PURCHASE"))
                .isEqualTo(count(w -> w.type().equals("POS PURCHASE") && w.timestamp() >= from));
        assertThat(purchases.out()).doesNotContain("POS BALANCE_INQUIRY");
    }

    @Test
    void statsWithOutcomesCountsApprovalsAndDeclinesByResponseCode() {
        final Run stats = run(args("stats", "--outcomes"));
        assertThat(stats.status()).as(stats.err()).isZero();
        final Map<String, Long> byCode = written.stream()
                .collect(Collectors.groupingBy(w -> w.outcome().substring(0, 2), Collectors.counting()));
        assertThat(byCode).containsKeys("00", "55");
        for (final Map.Entry<String, Long> entry : byCode.entrySet()) {
            final String meaning = dev.prepaid.command.ResponseCode.ofCode(entry.getKey()).meaning;
            assertThat(row(stats.out(), entry.getKey() + " " + meaning)).isEqualTo(entry.getValue());
        }
        final long approved = byCode.get("00");
        assertThat(stats.out()).contains(String.format(Locale.ROOT, "approved %d (%.2f%%), declined %d", approved,
                100.0 * approved / written.size(), written.size() - approved));
        assertThat(row(stats.out(), "PIN_WRONG")).isEqualTo(count(w -> w.outcome().equals("55 PIN_WRONG")));
        final Matcher purchase = Pattern.compile("(?m)^  POS PURCHASE +(\\d+) +\\S+% +(\\d+) +(\\d+)$").matcher(stats.out());
        assertThat(purchase.find()).isTrue();
        assertThat(Long.parseLong(purchase.group(2)))
                .isEqualTo(count(w -> w.type().equals("POS PURCHASE") && w.outcome().startsWith("00")));
    }

    // ------------------------------------------------------------------ verify

    @Test
    void verifyAgreesOnASoundJournalWithSnapshots() {
        final Run verify = run(args("verify", "--digest-every", "500"));
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains(": 2 snapshots")
                .contains("sequence " + firstSnapshot + ": snapshot snapshot-" + String.format("%020d", firstSnapshot)
                        + ".snap matches the replay from scratch")
                .contains("sequence " + secondSnapshot + ": snapshot snapshot-" + String.format("%020d", secondSnapshot)
                        + ".snap matches the replay from scratch")
                .contains("gave every command the same outcome and reaches the same state here")
                .contains("end at sequence " + written.size())
                .contains("reaches the same state digest")
                .contains("OK: the journal reads whole and every replay agrees");
    }

    @Test
    void helpAndCommandLineMistakes(@TempDir final Path empty) {
        final Run help = run("dump", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--card <pan>").contains("--outcomes").contains("--journal <dir>");
        assertThat(run("verify", "--help").out()).contains("--digest-every");
        assertThat(run("--help").out()).contains("dump").contains("verify").contains("stats");
        assertThat(run().status()).isEqualTo(JournalTool.USAGE);

        final Set<String[]> mistakes = Set.of(
                new String[] {"frobnicate"},
                args("dump", "--bogus"),
                args("dump", "--limit"),
                args("dump", "--limit", "none"),
                args("dump", "--limit", "0"),
                args("dump", "--card", "12345"),
                args("dump", "--card", "8888x00900000012"),
                args("dump", "--terminal", "123456789"),
                args("dump", "--merchant", "1234567890123456"),
                args("dump", "--type", "PURCHASE,FLY"),
                args("dump", "--from", "yesterday"),
                args("dump", "--from", "200", "--to", "100"),
                args("dump", "--zone", "Mars/Olympus"),
                args("dump", "--outcomes=yes"),
                args("verify", "--card", Workload.pan(1)),
                args("stats", "--limit", "3"),
                args("stats", "--max-cards", "0"),
                args("stats", "--transaction-log-capacity", "1000"),
                args("stats", "--roll-cycle", "WEEKLY"),
                new String[] {"dump", "--journal", empty.resolve("missing").toString()},
                new String[] {"stats", "--journal", empty.toString()});
        for (final String[] mistake : mistakes) {
            final Run run = run(mistake);
            assertThat(run.status()).as(String.join(" ", mistake)).isEqualTo(JournalTool.USAGE);
            assertThat(run.err().strip()).as(String.join(" ", mistake)).isNotEmpty().doesNotContain("\n")
                    .doesNotContain("Exception");
            assertThat(run.out()).isEmpty();
        }
        assertThat(run(args("dump", "--bogus")).err()).contains("unknown option --bogus");
        assertThat(run(args("verify", "--card", "1")).err()).contains("journal verify: unknown option --card");
        assertThat(run(args("dump", "--from", "yesterday")).err()).contains("--from 'yesterday'");
        assertThat(run(args("dump", "--limit", "0")).err()).contains("--limit must be a positive number, got 0")
                .doesNotContain("9223372036854775807");
        assertThat(run("dump", "--journal", empty.resolve("missing").toString()).err()).contains("no journal at");
        assertThat(run("stats", "--journal", empty.toString()).err()).contains("has no queue/");
        assertThat(run(args("dump", "--type", "FLY")).err()).contains("PURCHASE").contains("SELL_CARDS");
        // A card number failing its check digit is searched as typed, with a note.
        final String bad = Workload.pan(5).substring(0, 15) + ((Workload.pan(5).charAt(15) - '0' + 1) % 10);
        final Run mistyped = run(args("dump", "--card", bad));
        assertThat(mistyped.status()).isZero();
        assertThat(mistyped.err()).contains("fails its check digit").doesNotContain(bad);
        assertThat(mistyped.lines()).as("not the card with the same account number, nor the run that sold it").isEmpty();
    }
}
