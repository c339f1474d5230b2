package dev.prepaid.journal;

/** The journal cannot do what it must; the message says where and what to do about it. */
public class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalException(final String message) {
        super(message);
    }

    public JournalException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
