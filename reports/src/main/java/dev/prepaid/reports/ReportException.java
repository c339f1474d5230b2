package dev.prepaid.reports;

/** A report asked for with input it cannot take: names the parameter ({@link #field}) and what is wrong with it. */
public final class ReportException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ReportException(final String field, final String message) {
        super(message);
        this.field = field;
    }

    /** The parameter at fault: kind, from, to, merchant, terminal or format. */
    public String field() {
        return field;
    }
}
