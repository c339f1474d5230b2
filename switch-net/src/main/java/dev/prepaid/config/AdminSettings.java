package dev.prepaid.config;

import java.nio.file.Path;

/**
 * The operators' HTTP endpoint ({@code admin} in the configuration).
 *
 * @param enabled false: no admin listener
 * @param host address to listen on
 * @param port TCP port (0: any free port, for tests)
 * @param passwordHashing Argon2id cost of new operator password hashes (bootstrap and password changes);
 *        stored hashes carry their own parameters and verify whatever they are
 * @param tlsCertificate PEM certificate chain of the endpoint, or null for plain HTTP
 * @param tlsPrivateKey PEM (PKCS#8) private key of that certificate, or null
 * @param allowPlaintext whether plain HTTP is allowed on an address other than loopback (it carries passwords and
 *        session tokens: only behind a TLS proxy on a trusted network)
 * @param limits what one client and all clients together may take
 * @param cardFiles where card production runs write their production and PIN mailer files (owner-only), or null
 *        for {@code card-files} beside the journal directory
 * @param payoutFiles where the payout files of approved settlements are written (owner-only), or null for
 *        {@code payout-files} beside the journal directory
 */
public record AdminSettings(boolean enabled, String host, int port, PasswordHashing passwordHashing, Path tlsCertificate,
        Path tlsPrivateKey, boolean allowPlaintext, AdminLimits limits, Path cardFiles, Path payoutFiles) {
    public static final int DEFAULT_PORT = 8584;

    /** Plain HTTP with the default limits (loopback installations and tests). */
    public AdminSettings(final boolean enabled, final String host, final int port, final PasswordHashing passwordHashing) {
        this(enabled, host, port, passwordHashing, null, null, false, AdminLimits.DEFAULTS, null, null);
    }

    /** With the default places for card and payout files. */
    public AdminSettings(final boolean enabled, final String host, final int port, final PasswordHashing passwordHashing,
            final Path tlsCertificate, final Path tlsPrivateKey, final boolean allowPlaintext, final AdminLimits limits) {
        this(enabled, host, port, passwordHashing, tlsCertificate, tlsPrivateKey, allowPlaintext, limits, null, null);
    }

    public boolean tls() {
        return tlsCertificate != null;
    }

    /** The same settings on another port. */
    public AdminSettings withPort(final int newPort) {
        return new AdminSettings(enabled, host, newPort, passwordHashing, tlsCertificate, tlsPrivateKey, allowPlaintext,
                limits, cardFiles, payoutFiles);
    }

    /**
     * The endpoint's limits: a slow or hostile client cannot hold it, and operators' work never competes with
     * terminals for more than a bounded share.
     *
     * @param sessionMinutes how long a login's token is valid
     * @param maxConnections open connections at once (more are closed at once)
     * @param maxBodyBytes largest request body (413 above it)
     * @param maxHeaderBytes largest request line and headers together (431 above it)
     * @param requestsPerSecond sustained requests per client address (429 above it; bursts of twice as many)
     * @param idleSeconds a connection that sends nothing for this long is closed (also one stuck mid-request)
     */
    public record AdminLimits(int sessionMinutes, int maxConnections, int maxBodyBytes, int maxHeaderBytes,
            int requestsPerSecond, int idleSeconds) {
        public static final AdminLimits DEFAULTS = new AdminLimits(30, 64, 1 << 20, 8192, 50, 30);
    }
}
