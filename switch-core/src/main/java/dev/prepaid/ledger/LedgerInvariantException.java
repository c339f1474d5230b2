package dev.prepaid.ledger;

/**
 * A rule that must always hold did not: the ledger stops (fail-stop) rather than skip or repair. Thrown
 * only for bugs, never for bad input: bad input is declined before anything changes.
 */
public final class LedgerInvariantException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerInvariantException(final String message) {
        super(message);
    }
}
