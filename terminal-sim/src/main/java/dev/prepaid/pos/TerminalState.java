package dev.prepaid.pos;

import dev.prepaid.config.FileProblems;
import dev.prepaid.security.Hex;
import dev.prepaid.security.SecretFiles;
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
 * batch store does. A properties file, written atomically and readable by its owner only (where the file system
 * has POSIX permissions), since it holds card numbers.
 */
final class TerminalState {
    private TerminalState() {
    }

    /**
     * Refuses a state file that could not be saved after the run: its directory is missing or not writable, or it
     * is a directory or read-only. Checked before anything is sent, because a run whose state is lost has used
     * STANs the next run would send again (and the switch decline as duplicates).
     */
    static void requireWritable(final Path file) {
        final Path absolute = file.toAbsolutePath().normalize();
        final Path directory = absolute.getParent();
        if (directory == null || !Files.exists(directory)) {
            throw new IllegalArgumentException("--state " + file + ": directory " + directory
                    + " does not exist: create it first");
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--state " + file + ": " + directory + " is a file, not a directory");
        }
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("--state " + file + " is a directory; name a file in it");
        }
        if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw new IllegalArgumentException("--state " + file + " is not writable by this user");
        }
        try {
            Files.delete(Files.createTempFile(directory, ".pos-state", ".tmp"));
        } catch (final IOException | SecurityException e) {
            throw new IllegalArgumentException("--state " + file + ": cannot create files in directory " + directory
                    + " (permission denied?)");
        }
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
            throw new UncheckedIOException(file + ": cannot read: " + FileProblems.reading(e), e);
        }
        final String owner = p.getProperty("terminal");
        if (owner == null) {
            throw new IllegalArgumentException(file + ": not a terminal state file (it has no 'terminal=' line); name"
                    + " a new file or one an earlier pos --state wrote");
        }
        if (!terminal.terminalId().equals(owner)) {
            throw new IllegalArgumentException(file + ": it belongs to terminal " + owner + ", not "
                    + terminal.terminalId());
        }
        String key = "entries";
        try {
            final int count = Integer.parseInt(p.getProperty(key, "0"));
            final List<BatchEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                key = "entry." + i;
                entries.add(entry(required(p, key)));
            }
            key = "reversal";
            final String reversal = p.getProperty(key);
            final PendingReversal pending = reversal == null || reversal.isEmpty() ? null : reversal(reversal);
            key = "stan";
            final int stan = Integer.parseInt(required(p, key));
            key = "batch";
            terminal.restore(stan, Integer.parseInt(required(p, key)), entries, pending);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(file + ": a damaged terminal state file: " + key
                    + " is not a number where one is expected (" + e.getMessage() + ")", e);
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException(file + ": a damaged terminal state file: " + key + ": "
                    + e.getMessage(), e);
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
            Files.deleteIfExists(temporary);
            // Created owner-only before the card numbers go in; the move keeps the mode.
            Files.createFile(temporary, SecretFiles.ownerOnly());
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                p.store(out, "POS terminal simulator state: no keys; PANs of the open batch in clear");
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + FileProblems.writing(e), e);
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
