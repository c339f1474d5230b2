package dev.prepaid.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the journal directory to the last {@code keepDays} days: files of older cycles that a snapshot
 * already covers move to the archive directory (records are kept five years by regulation — archived,
 * never deleted; backups take the archive). Recovery only needs the newest snapshot and what follows it.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private Retention() {
    }

    /**
     * Archives the files of cycles before both the covering snapshot's cycle and the retention limit.
     *
     * @param coveredIndex the Chronicle index of the newest snapshot's last command
     * @return how many files moved
     */
    public static int archive(final JournalConfig config, final long coveredIndex, final long nowMillis) throws IOException {
        if (config.keepDays() == 0 || coveredIndex < 0) {
            return 0;
        }
        int moved = 0;
        try (SingleChronicleQueue queue = Queues.open(config, false)) {
            final RollCycle cycle = queue.rollCycle();
            final int limit = Math.min(cycle.toCycle(coveredIndex),
                    (int) ((nowMillis - config.keepDays() * 86_400_000L) / cycle.lengthInMillis()));
            final java.text.SimpleDateFormat names = new java.text.SimpleDateFormat(cycle.format());
            names.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
            final java.util.List<Path> files;
            try (java.util.stream.Stream<Path> list = Files.list(config.queueDirectory())) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
            }
            for (final Path file : files) {
                final String name = file.getFileName().toString();
                final int fileCycle;
                try {
                    fileCycle = (int) (names.parse(name.substring(0, name.length() - 4)).getTime() / cycle.lengthInMillis());
                } catch (final java.text.ParseException e) {
                    continue;
                }
                if (fileCycle < limit) {
                    Files.createDirectories(config.archiveDirectory());
                    Files.move(file, config.archiveDirectory().resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    LOG.info("journal file {} archived (older than {} days, covered by a snapshot)", name, config.keepDays());
                    moved++;
                }
            }
            if (moved > 0) {
                queue.refreshDirectoryListing();
            }
        }
        return moved;
    }
}
