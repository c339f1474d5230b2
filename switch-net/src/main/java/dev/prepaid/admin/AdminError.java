package dev.prepaid.admin;

/**
 * A request the endpoint answers with an error: the HTTP status, a stable code a script can test, a sentence
 * saying what to fix and, when one field is wrong, its name. Thrown while a request is read, before anything is
 * published: such a request changes nothing.
 */
final class AdminError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final String field;

    AdminError(final int status, final String code, final String message, final String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    AdminError(final int status, final String code, final String message) {
        this(status, code, message, null);
    }

    static AdminError badField(final String field, final String message) {
        return new AdminError(400, "BAD_FIELD", message, field);
    }
}
