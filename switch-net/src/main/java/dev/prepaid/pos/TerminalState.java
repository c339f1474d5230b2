package dev.prepaid.pos;

import dev.prepaid.security.Hex;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a terminal keeps between runs of the command, as a real terminal keeps it in flash: the last STAN, the
 * open batch, the batch's counted transactions (for totals and upload) and the reversal owed. Working keys are
 * not kept (the terminal signs on again); the file does hold the PANs of the open batch, as the terminal's own
 * batch store does. A properties file, written atomically.
 */
final class TerminalState {
    private TerminalState() {
    }

    /** Restores {@code terminal} from {@code file} when it exists. */
    static void load(final Path file, final PosTerminal terminal) {
        if (!Files.exists(file)) {
            return;
        }
        final Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            final String owner = p.getProperty("terminal");
            if (!terminal.terminalId().equals(owner)) {
                throw new IllegalArgumentException("it belongs to terminal " + owner + ", not "
                        + terminal.terminalId());
            }
            final int count = Integer.parseInt(p.getProperty("entries", "0"));
            final List<BatchEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(entry(required(p, "entry." + i)));
            }
            final String reversal = p.getProperty("reversal");
            terminal.restore(Integer.parseInt(required(p, "stan")), Integer.parseInt(required(p, "batch")), entries,
                    reversal == null || reversal.isEmpty() ? null : reversal(reversal));
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a terminal state file: " + e.getMessage(), e);
        }
    }

    /** Writes the terminal's state to {@code file} (a temporary file moved over it). */
    static void save(final Path file, final PosTerminal terminal) {
        final Properties p = new Properties();
        p.setProperty("terminal", terminal.terminalId());
        p.setProperty("stan", Integer.toString(terminal.stan()));
        p.setProperty("batch", Integer.toString(terminal.batch()));
        final List<BatchEntry> entries = terminal.batchEntries();
        p.setProperty("entries", Integer.toString(entries.size()));
        for (int i = 0; i < entries.size(); i++) {
            p.setProperty("entry." + i, text(entries.get(i)));
        }
        final PendingReversal reversal = terminal.pendingReversal();
        if (reversal != null) {
            p.setProperty("reversal", reversal.operation().name() + "," + reversal.stan() + "," + reversal.reason()
                    + "," + reversal.messageHex());
        }
        final Path absolute = file.toAbsolutePath();
        final Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                p.store(out, "POS terminal simulator state: no keys; PANs of the open batch in clear");
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static String required(final Properties p, final String key) {
        final String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return value;
    }

    private static String text(final BatchEntry e) {
        return String.join(",", e.operation().name(), e.pan(), Integer.toString(e.expiryYymm()),
                Integer.toString(e.entryMode()), Long.toString(e.amount()), Integer.toString(e.batch()),
                Integer.toString(e.stan()), nullable(e.rrn()), nullable(e.authCode()), Integer.toString(e.dateMmdd()),
                nullable(e.originalData()));
    }

    private static BatchEntry entry(final String text) {
        final String[] f = text.split(",", -1);
        if (f.length != 11) {
            throw new IllegalArgumentException("an entry has 11 values, not " + f.length);
        }
        return new BatchEntry(PosOperation.valueOf(f[0]), f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Long.parseLong(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]), orNull(f[7]), orNull(f[8]),
                Integer.parseInt(f[9]), orNull(f[10]));
    }

    private static PendingReversal reversal(final String text) {
        final String[] f = text.split(",", -1);
        if (f.length != 4) {
            throw new IllegalArgumentException("a reversal has 4 values, not " + f.length);
        }
        return new PendingReversal(PosOperation.valueOf(f[0]), Integer.parseInt(f[1]), f[2], Hex.decode(f[3]));
    }

    private static String nullable(final String value) {
        return value == null ? "" : value;
    }

    private static String orNull(final String value) {
        return value.isEmpty() ? null : value;
    }
}
