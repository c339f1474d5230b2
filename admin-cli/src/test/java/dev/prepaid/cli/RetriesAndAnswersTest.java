package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI does with answers a healthy switch rarely gives: a lost connection and a 503 are retried with the
 * same request id (so the ledger applies the write once, and says when it was a repeat), a 503 that lasts and a
 * 500 are their exit codes, a login is never sent twice, an answer that is not JSON is said to be so.
 */
class RetriesAndAnswersTest {
    private static final String APPLIED_AS_REPEAT = "{\"command\":\"FREEZE_CARD\",\"journalSequence\":77,"
            + "\"duplicate\":true,\"result\":\"APPROVED\",\"businessDate\":20261207}";
    private static final String BUSY = "{\"error\":\"BUSY\",\"message\":\"the switch is busy (the ring is full); nothing"
            + " was changed, retry with the same requestId\"}";

    @TempDir
    Path scratch;

    /** The CLI of an operator logged in to {@code fake} (its session file written as a login would). */
    private Cli loggedInTo(final FakeEndpoint fake) {
        final Path session = scratch.resolve("session");
        new SessionFile(session, false, Cli.JSON).save(new SessionFile.Session(Settings.endpoint(fake.endpoint(), "test")
                .toString(), "clerk", "token-of-clerk", "2026-12-07T12:00:00Z"));
        return Cli.of(fake.endpoint(), scratch).session(session);
    }

    private static List<Long> requestIds(final FakeEndpoint fake) throws IOException {
        final List<Long> ids = new ArrayList<>();
        for (final FakeEndpoint.Request request : fake.requests) {
            ids.add(Cli.JSON.readTree(request.body()).path("requestId").asLong());
        }
        return ids;
    }

    @Test
    void aWriteThatLostItsConnectionOrGotA503IsSentAgainWithTheSameRequestId() throws IOException {
        try (FakeEndpoint fake = new FakeEndpoint((attempt, request) -> switch (attempt) {
            case 1 -> FakeEndpoint.Reply.DROP;
            case 2 -> new FakeEndpoint.Reply(503, BUSY);
            default -> new FakeEndpoint.Reply(200, APPLIED_AS_REPEAT);
        })) {
            final Cli.Result result = loggedInTo(fake).run("card", "freeze", "8888000100000017");

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(result.out()).startsWith("FREEZE_CARD applied (repeat of an earlier request)\n");
            assertThat(fake.requests).hasSize(3).allSatisfy(request -> {
                assertThat(request.requestLine()).isEqualTo("POST /v1/commands/FREEZE_CARD HTTP/1.1");
                assertThat(request.head()).contains("Authorization: Bearer token-of-clerk");
            });
            final List<Long> ids = requestIds(fake);
            assertThat(ids.get(0)).isPositive();
            assertThat(ids).containsOnly(ids.get(0));
            final JsonNode body = Cli.JSON.readTree(fake.requests.get(0).body());
            assertThat(body.path("fields").path("pan").asText()).isEqualTo("8888000100000017");
        }
    }

    @Test
    void eachWriteDrawsItsOwnRequestId() throws IOException {
        try (FakeEndpoint fake = new FakeEndpoint((attempt, request) -> new FakeEndpoint.Reply(200, APPLIED_AS_REPEAT))) {
            final Cli clerk = loggedInTo(fake);
            for (int i = 0; i < 5; i++) {
                assertThat(clerk.run("card", "freeze", "8888000100000017").exitCode()).isZero();
            }

            assertThat(requestIds(fake)).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isPositive());
        }
    }

    @Test
    void aSwitchBusyAtEveryAttemptIsExitCode5() throws IOException {
        try (FakeEndpoint fake = new FakeEndpoint((attempt, request) -> new FakeEndpoint.Reply(503, BUSY))) {
            final Cli.Result result = loggedInTo(fake).run("card", "freeze", "8888000100000017");

            assertThat(result.exitCode()).isEqualTo(Exit.UNREACHABLE);
            assertThat(result.err()).isEqualTo("prepaid-admin: the switch is busy (the ring is full); nothing was"
                    + " changed, retry with the same requestId (sent 4 times; try again in a moment)\n");
            assertThat(fake.requests).hasSize(Cli.RETRY.attempts());
        }
    }

    @Test
    void anInternalErrorOfTheSwitchIsExitCode6() throws IOException {
        try (FakeEndpoint fake = new FakeEndpoint((attempt, request) -> new FakeEndpoint.Reply(500,
                "{\"error\":\"INTERNAL\",\"message\":\"the request failed inside the switch\"}"))) {
            final Cli.Result result = loggedInTo(fake).run("card", "show", "8888000100000017");

            assertThat(result.exitCode()).isEqualTo(Exit.INTERNAL);
            assertThat(result.err()).isEqualTo("prepaid-admin: the request failed inside the switch\n");
            assertThat(fake.requests).hasSize(1);
        }
    }

    @Test
    void aLoginIsNotSentTwiceAfterALostConnection() throws IOException {
        try (FakeEndpoint fake = new FakeEndpoint((attempt, request) -> FakeEndpoint.Reply.DROP)) {
            final Cli.Result result = Cli.of(fake.endpoint(), scratch).input("some-password\n", "login", "--operator",
                    "clerk", "--password-stdin");

            assertThat(result.exitCode()).isEqualTo(Exit.UNREACHABLE);
            assertThat(result.err()).startsWith("prepaid-admin: the connection to " + fake.endpoint() + " was lost");
            assertThat(fake.requests).as("a second try could count a wrong password twice").hasSize(1);
        }
    }

    @Test
    void anAnswerThatIsNotJsonIsNotTakenForTheSwitchs() throws IOException {
        try (FakeEndpoint fake = new FakeEndpoint((attempt, request) -> new FakeEndpoint.Reply(200,
                "<html>a proxy's page</html>"))) {
            final Cli.Result result = loggedInTo(fake).run("whoami");

            assertThat(result.exitCode()).isEqualTo(Exit.INTERNAL);
            assertThat(result.err()).contains("answered HTTP 200 without a JSON body: is that the switch's admin"
                    + " endpoint?");
        }
    }
}
