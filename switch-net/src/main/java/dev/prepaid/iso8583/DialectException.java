package dev.prepaid.iso8583;

/** A dialect file that cannot be used: the message is one line naming the file and the key at fault. */
public final class DialectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DialectException(final String message) {
        super(message);
    }

    public DialectException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
