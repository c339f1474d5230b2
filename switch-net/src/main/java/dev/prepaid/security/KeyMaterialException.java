package dev.prepaid.security;

/**
 * A key could not be loaded, decrypted or checked: a bad MFK component, a bad line in the key file, a check
 * value that does not match, a malformed field 62. Thrown only at start-up, by tools and at sign-on, never on
 * the per-message path. The message says what and where (component source, file and line, key name, check
 * values) and never contains clear key material.
 */
public final class KeyMaterialException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyMaterialException(final String message) {
        super(message);
    }

    public KeyMaterialException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
