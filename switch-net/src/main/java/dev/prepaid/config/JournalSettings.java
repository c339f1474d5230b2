package dev.prepaid.config;

import dev.prepaid.journal.JournalConfig;
import java.nio.file.Path;

/**
 * The journal ({@code journal} in the configuration): where and how commands are kept, and how often the
 * snapshot follower writes a snapshot.
 *
 * @param journal directory (absolute), durability, roll cycle, free-space floor and retention
 * @param snapshotEveryCommands a snapshot is written after this many commands
 * @param snapshotsKept the newest snapshots kept; older ones are deleted
 */
public record JournalSettings(JournalConfig journal, long snapshotEveryCommands, int snapshotsKept) {

    /** The journal's directory (absolute). */
    public Path directory() {
        return journal.directory();
    }
}
