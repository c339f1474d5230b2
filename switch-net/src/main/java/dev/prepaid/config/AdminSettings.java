package dev.prepaid.config;

/**
 * The operators' HTTP endpoint ({@code admin} in the configuration).
 *
 * @param enabled false: no admin listener
 * @param host address to listen on
 * @param port TCP port (0: any free port, for tests)
 * @param passwordHashing Argon2id cost of new operator password hashes (bootstrap and password changes);
 *        stored hashes carry their own parameters and verify whatever they are
 */
public record AdminSettings(boolean enabled, String host, int port, PasswordHashing passwordHashing) {
    public static final int DEFAULT_PORT = 8584;
}
