package dev.prepaid.clearing.daily;

/** A day cannot be cleared or its files read: the message says which day and exactly why. */
public final class ClearingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean noSuchDay;

    public ClearingException(final String message) {
        this(message, false);
    }

    public ClearingException(final String message, final boolean noSuchDay) {
        super(message);
        this.noSuchDay = noSuchDay;
    }

    /** The journal has no complete business day of that date (never opened, still open, or no longer kept). */
    public boolean noSuchDay() {
        return noSuchDay;
    }

    public ClearingException(final String message, final Throwable cause) {
        super(message, cause);
        this.noSuchDay = false;
    }
}
