package dev.prepaid.journal;

import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot files: {@code snapshot-<sequence>.snap}, each the whole ledger state at a journal sequence. The
 * file is a 28-byte header — magic {@code PPJSNAP1}, the sequence, the Chronicle index of that command,
 * CRC32C of those — then the ledger's own snapshot (checksummed too; it holds the last timestamp applied). Written to a temporary
 * file, forced to disk, then renamed, so a crash never leaves a half snapshot under the real name.
 */
public final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    private static final long MAGIC = 0x31_50_41_4E_53_4A_50_50L; // "PPJSNAP1" little-endian
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";

    private Snapshots() {
    }

    /** Where a snapshot stands in the journal. */
    public record Position(long sequence, long chronicleIndex, long lastTimestamp) {
        public static final Position START = new Position(0, -1, 0);
    }

    /** A snapshot read back. */
    public record Loaded(Ledger ledger, Position position, Path file) {
    }

    public static Path fileFor(final Path directory, final long sequence) {
        return directory.resolve(String.format("%s%020d%s", PREFIX, sequence, SUFFIX));
    }

    /** Writes a snapshot atomically and returns its file and the state digest. */
    public static Path write(final Path directory, final Ledger ledger, final Position position) throws IOException {
        Files.createDirectories(directory);
        final Path target = fileFor(directory, position.sequence());
        final Path temporary = directory.resolve(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 20)) {
            final DataOutputStream header = new DataOutputStream(out);
            final byte[] head = header(position);
            header.write(head);
            ledger.writeSnapshot(out, position.sequence());
            out.flush();
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(directory);
        return target;
    }

    private static byte[] header(final Position position) {
        final byte[] head = new byte[28];
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(MAGIC).putLong(position.sequence()).putLong(position.chronicleIndex());
        final CRC32C crc = new CRC32C();
        crc.update(head, 0, 24);
        buffer.putInt((int) crc.getValue());
        return head;
    }

    private static void forceDirectory(final Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (final IOException ignored) {
            // Some file systems cannot open a directory; the rename is then as durable as they make it.
        }
    }

    /** Snapshot files, newest (highest sequence) first. */
    public static List<Path> list(final Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            final List<Path> snapshots = new ArrayList<>();
            files.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX))
                    .forEach(snapshots::add);
            snapshots.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
            return snapshots;
        }
    }

    /** The ledger capacities a snapshot was taken with, from its headers alone (the journal tools size by them). */
    public static LedgerConfig capacities(final Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 4096)) {
            readHeader(in, file);
            return Ledger.snapshotCapacities(in);
        }
    }

    /** The 28-byte header, checked (magic, CRC32C): the sequence and the Chronicle index it names. */
    private static long[] readHeader(final InputStream in, final Path file) throws IOException {
        final byte[] head = in.readNBytes(28);
        if (head.length < 28) {
            throw new IOException("snapshot " + file + " is shorter than its header");
        }
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final long magic = buffer.getLong();
        final long sequence = buffer.getLong();
        final long index = buffer.getLong();
        final int storedCrc = buffer.getInt();
        final CRC32C crc = new CRC32C();
        crc.update(head, 0, 24);
        if (magic != MAGIC || storedCrc != (int) crc.getValue()) {
            throw new IOException("snapshot " + file + " has a damaged header");
        }
        return new long[] {sequence, index};
    }

    /** Reads one snapshot, checking header, ledger checksum and that the file ends where the state ends. */
    public static Loaded read(final Path file, final LedgerConfig config) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            final long[] header = readHeader(in, file);
            final long sequence = header[0];
            final long index = header[1];
            final Ledger.Restored restored = Ledger.readSnapshot(in, config);
            if (restored.journalIndex() != sequence) {
                throw new IOException("snapshot " + file + " says sequence " + sequence + " outside and "
                        + restored.journalIndex() + " inside");
            }
            if (in.read() != -1) {
                throw new IOException("snapshot " + file + " has bytes after its end");
            }
            return new Loaded(restored.ledger(), new Position(sequence, index, restored.ledger().lastTimestamp()), file);
        }
    }

    /** The newest snapshot that reads back whole, or null; damaged ones are reported and passed over. */
    public static Loaded newestValid(final Path directory, final LedgerConfig config) throws IOException {
        for (final Path file : list(directory)) {
            try {
                return read(file, config);
            } catch (final IOException | RuntimeException e) {
                LOG.warn("snapshot {} is not usable, trying an older one: {}", file, e.getMessage());
            }
        }
        return null;
    }

    /** Deletes all but the newest {@code keep} snapshots. */
    public static void prune(final Path directory, final int keep) throws IOException {
        final List<Path> snapshots = list(directory);
        for (int i = keep; i < snapshots.size(); i++) {
            Files.deleteIfExists(snapshots.get(i));
        }
    }
}
