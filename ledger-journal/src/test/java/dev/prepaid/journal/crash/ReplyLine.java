package dev.prepaid.journal.crash;

import dev.prepaid.command.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One released reply as the crash child writes it to its replies file, one line each:
 * {@code sequence reason duplicate rrn authCode available ledger cardAmount fee points value1 value2}.
 * The parent formats the outcome replay gives for the same sequence the same way and compares the text.
 */
final class ReplyLine {
    private ReplyLine() {
    }

    /** Appends the line for {@code outcome} of the command journaled at {@code sequence}, without newline. */
    static StringBuilder append(final StringBuilder line, final long sequence, final Outcome outcome) {
        return line.append(sequence).append(' ')
                .append(outcome.reason.name()).append(' ')
                .append(outcome.duplicate ? 'D' : '-').append(' ')
                .append(outcome.rrn).append(' ')
                .append(outcome.authCode).append(' ')
                .append(outcome.availableBalance).append(' ')
                .append(outcome.ledgerBalance).append(' ')
                .append(outcome.cardAmount).append(' ')
                .append(outcome.fee).append(' ')
                .append(outcome.points).append(' ')
                .append(outcome.value1).append(' ')
                .append(outcome.value2);
    }

    static String format(final long sequence, final Outcome outcome) {
        return append(new StringBuilder(96), sequence, outcome).toString();
    }

    /** Fields of a line: sequence, reason, duplicate flag and nine numbers. */
    static final int FIELDS = 12;

    /**
     * A replies file as the kill left it: its complete lines, and the torn last line (text after the last
     * newline) if the kill cut the final write short — that reply was never wholly released.
     */
    record File(Path path, List<String> lines, String tornTail) {
        static File read(final Path path) throws IOException {
            if (!Files.exists(path)) {
                return new File(path, List.of(), null);
            }
            final String text = new String(Files.readAllBytes(path), StandardCharsets.US_ASCII);
            final int end = text.lastIndexOf('\n') + 1;
            final List<String> lines = end == 0 ? List.of() : List.of(text.substring(0, end - 1).split("\n", -1));
            return new File(path, lines, end == text.length() ? null : text.substring(end));
        }
    }

    /** Null when {@code line} is a well-formed reply line, else what is wrong with it. */
    static String malformed(final String line) {
        final String[] fields = line.split(" ", -1);
        if (fields.length != FIELDS) {
            return fields.length + " fields instead of " + FIELDS;
        }
        for (int i = 0; i < FIELDS; i++) {
            if (i == 1 || i == 2) {
                if (fields[i].isEmpty()) {
                    return "field " + i + " is empty";
                }
            } else if (!fields[i].matches("-?[0-9]+")) {
                return "field " + i + " ('" + fields[i] + "') is not a number";
            }
        }
        return null;
    }

    /** The journal sequence a line starts with. */
    static long sequence(final String line) {
        final int space = line.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("not a reply line: '" + line + "'");
        }
        return Long.parseLong(line.substring(0, space));
    }
}
