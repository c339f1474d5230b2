package dev.prepaid.cli;

/**
 * Why a command failed, as the one line {@code prepaid-admin: ...} on the error stream says it (what went wrong
 * and what to do), and the exit code that goes with it.
 */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int exitCode;

    CliFailure(final int exitCode, final String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliFailure badInput(final String message) {
        return new CliFailure(Exit.BAD_INPUT, message);
    }
}
