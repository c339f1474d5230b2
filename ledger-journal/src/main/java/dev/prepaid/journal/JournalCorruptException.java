package dev.prepaid.journal;

/**
 * A damaged record before the end of the journal: replaying past it would silently lose a command, so the
 * start stops. The message names the file and the index.
 */
public final class JournalCorruptException extends JournalException {
    private static final long serialVersionUID = 1L;
    private final long chronicleIndex;

    public JournalCorruptException(final String message, final long chronicleIndex) {
        super(message);
        this.chronicleIndex = chronicleIndex;
    }

    public long chronicleIndex() {
        return chronicleIndex;
    }
}
