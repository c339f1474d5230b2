package dev.prepaid.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepaid.card.Pan;
import dev.prepaid.config.SwitchConfig;
import dev.prepaid.journal.Replay;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.LedgerState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/**
 * The books check at the end of a run, from one of two sources. The journal, when it is on this machine: replayed
 * into a ledger here (from its newest snapshot, as {@code bin/prepaid journal verify} does), it gives every card of
 * the population and the ledger's identities ({@link Invariants}: debits equal credits, sub-accounts sum to their
 * control accounts, holds match open pre-authorisations). Otherwise the switch's admin endpoint: the cards the run
 * touched are read one by one ({@code GET /v1/cards/{pan}}); the identities cannot be checked that way.
 */
final class BooksCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BooksCheck() {
    }

    /** Whether the journal of this configuration is here to replay. */
    static boolean journalHere(final SwitchConfig config) {
        return Files.isDirectory(config.journal().journal().directory());
    }

    /**
     * Replays the journal of {@code config} (a stopped switch's, or a running one's: the journal is readable while
     * written) and compares every card of the population.
     */
    static Books.Result fromJournal(final Books books, final Population.Cards cards, final SwitchConfig config) {
        final Replay.Result replay = replay(config);
        final LedgerState state = replay.ledger().state();
        return books.check("the journal, replayed to sequence " + replay.lastSequence(), figures(state, cards),
                card -> true, Long.MAX_VALUE, Invariants.firstViolation(state));
    }

    /**
     * What the cards of a switch that served earlier runs hold now, from its journal, as the opening of this run's
     * books; returns the journal sequence read to.
     */
    static long openFromJournal(final Books books, final Population.Cards cards, final SwitchConfig config) {
        final Replay.Result replay = replay(config);
        books.open(figures(replay.ledger().state(), cards));
        return replay.lastSequence();
    }

    private static Replay.Result replay(final SwitchConfig config) {
        return Replay.run(config.journal().journal(), config.ledger(), Long.MAX_VALUE, Long.MAX_VALUE, true,
                (sequence, timestamp, command, offset, length, outcome) -> {
                });
    }

    private static Books.Figures figures(final LedgerState state, final Population.Cards cards) {
        final int accountDigits = cards.panLength() - 1 - cards.bin().length();
        final long binBody = Long.parseLong(cards.bin()) * Pan.powerOfTen(accountDigits);
        return (card, out) -> {
            final long body = binBody + card;
            final int i = state.resolveCard(cards.panLength(), body, Pan.luhnCheckDigit(body, cards.panLength() - 1));
            if (i < 0) {
                return false;
            }
            out[0] = state.cards().available(i);
            out[1] = state.cards().holds(i);
            return true;
        };
    }

    /** Reads the touched cards, up to {@code limit}, through the admin endpoint at {@code base} (http://host:port). */
    static Books.Result fromAdmin(final Books books, final Population.Cards cards, final String base, final long limit)
            throws IOException, InterruptedException {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final String token = AdminLogin.login(http, base, Population.AUDITOR, Population.AUDITOR_PASSWORD);
        final IOException[] failure = new IOException[1];
        final Books.Result result = books.check("the admin endpoint " + base + " (" + Math.min(limit,
                books.touchedCount()) + " of the " + books.touchedCount() + " cards the run touched, each taken to"
                + " have held the population's opening balance before the run)", (card, out) -> {
                    if (failure[0] != null) {
                        return false;
                    }
                    try {
                        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base
                                + "/v1/cards/" + cards.pan(card))).header("Authorization", "Bearer " + token).GET()
                                .build(), HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 200) {
                            return false;
                        }
                        final JsonNode view = JSON.readTree(answer.body());
                        out[0] = view.get("available").asLong();
                        out[1] = view.get("holds").asLong();
                        return true;
                    } catch (final IOException e) {
                        failure[0] = e;
                        return false;
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failure[0] = new IOException("interrupted");
                        return false;
                    }
                }, books::touched, limit, Books.INVARIANTS_NOT_CHECKED + ": the admin endpoint does not show them (the"
                        + " journal does: run on the switch's machine)");
        if (failure[0] != null) {
            throw new IOException("reading the cards through " + base + ": " + failure[0].getMessage(), failure[0]);
        }
        return result;
    }
}
