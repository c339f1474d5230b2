package dev.prepaid.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The one-writer rule of a journal directory, held for as long as a switch runs on it. Chronicle Queue lets
 * several processes append to one queue, so two switches started on the same directory would each apply
 * what the other journaled after its own recovery — the same money spent twice — and interleave their
 * sequences until recovery refuses the journal. An OS file lock on {@code writer.lock} prevents that: the
 * second start is refused with the holder's process id. The OS drops the lock when its process dies, so a
 * SIGKILLed switch never blocks the next start. Readers (the journal tools) take no lock.
 */
public final class WriterLock implements AutoCloseable {
    /** The lock file in the journal directory; its text says who holds it. */
    public static final String FILE = "writer.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(final Path file, final FileChannel channel, final FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the journal directory (created if missing) for this process.
     *
     * @throws JournalException naming the process that holds it, or why the lock file cannot be used
     */
    public static WriterLock acquire(final Path journalDirectory) {
        final Path file = journalDirectory.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(journalDirectory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (final OverlappingFileLockException e) {
                lock = null; // held by this very process: a second switch in one JVM
            }
            if (lock == null) {
                final String holder = holder(file);
                channel.close();
                throw new JournalException("journal " + journalDirectory + " is in use by another switch ("
                        + (holder.isEmpty() ? "holder unknown" : holder) + "): stop it first; two switches on one"
                        + " journal would apply each other's commands twice");
            }
            final byte[] text = ("pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text), 0);
            channel.force(false);
            return new WriterLock(file, channel, lock);
        } catch (final IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (final IOException ignored) {
                    // the lock was not taken; nothing more to undo
                }
            }
            throw new JournalException("journal " + journalDirectory + ": cannot take the writer lock " + file + ": "
                    + e, e);
        }
    }

    /** Who holds the lock, as its holder wrote it ("pid 4711 since …"); empty when unreadable. */
    private static String holder(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (final IOException e) {
            return "";
        }
    }

    public Path file() {
        return file;
    }

    /** Releases the directory; the file stays (its text is stale until the next holder rewrites it). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (final IOException e) {
            throw new JournalException("journal writer lock " + file + " cannot be released: " + e, e);
        }
    }
}
