package dev.prepaid.cli;

/**
 * The exit codes of {@code prepaid-admin}, fixed for scripts (docs/admin-cli.md, the top command's help). An
 * answer of the endpoint maps by its HTTP status, which already sorts who-may-not (403), what-was-wrong (400),
 * what-is-missing (404) and what-the-state-refuses (409) apart.
 */
final class Exit {
    static final int OK = 0;
    /** Refused by the ledger: the state does not allow it (409), or another refusal. */
    static final int REFUSED = 1;
    /** Bad input or usage: the CLI's own checks, or HTTP 400 (and the other malformed-request statuses). */
    static final int BAD_INPUT = 2;
    static final int NOT_FOUND = 3;
    /** Not logged in, wrong password, or not allowed (401, 403). */
    static final int NOT_ALLOWED = 4;
    /** Unreachable or busy: connection refused, TLS failure, no answer, 503 or 429 after the retries. */
    static final int UNREACHABLE = 5;
    /** The switch failed inside (500). */
    static final int INTERNAL = 6;

    private Exit() {
    }

    static int ofStatus(final int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 400, 405, 413, 414, 431 -> BAD_INPUT;
            case 401, 403 -> NOT_ALLOWED;
            case 404 -> NOT_FOUND;
            case 429, 503 -> UNREACHABLE;
            default -> status >= 500 ? INTERNAL : REFUSED;
        };
    }
}
