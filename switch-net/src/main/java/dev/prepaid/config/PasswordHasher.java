package dev.prepaid.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Operator passwords as Argon2id hashes (BouncyCastle), in the PHC string format every Argon2 library reads:
 * <pre>
 * $argon2id$v=19$m=65536,t=3,p=1$&lt;salt&gt;$&lt;hash&gt;
 * </pre>
 * salt (16 random bytes) and hash (32 bytes) in standard Base64 without padding. {@link #verify} takes its
 * parameters from the string, so hashes made with other costs (the demo's, an older setting) keep working.
 * Thread-safe.
 */
public final class PasswordHasher {
    public static final int SALT_BYTES = 16;
    public static final int HASH_BYTES = 32;
    /** Longest stored hash accepted by {@link #verify} (the ledger keeps at most 255 characters). */
    public static final int MAX_ENCODED_LENGTH = 255;

    private static final Pattern ENCODED = Pattern.compile(
            "\\$argon2id\\$v=(\\d+)\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private final PasswordHashing parameters;
    private final SecureRandom random;

    public PasswordHasher(final PasswordHashing parameters, final SecureRandom random) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.random = Objects.requireNonNull(random, "random");
    }

    public PasswordHasher(final PasswordHashing parameters) {
        this(parameters, new SecureRandom());
    }

    public PasswordHashing parameters() {
        return parameters;
    }

    /** The encoded hash of {@code password} with a fresh random salt. The caller wipes the password. */
    public String hash(final char[] password) {
        final byte[] salt = new byte[SALT_BYTES];
        synchronized (random) {
            random.nextBytes(salt);
        }
        return encode(password, salt, parameters);
    }

    /**
     * The encoded hash of {@code password} with a given salt of {@value #SALT_BYTES} bytes. The admin endpoint
     * derives the salt from the request it answers, so a retried request hashes to the same value (and is
     * recognised as the same request); the caller wipes the password.
     */
    public String hash(final char[] password, final byte[] salt) {
        if (salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("a salt is " + SALT_BYTES + " bytes, got " + salt.length);
        }
        return encode(password, salt, parameters);
    }

    /** The encoded hash with a given salt (tests against published vectors). */
    static String encode(final char[] password, final byte[] salt, final PasswordHashing parameters) {
        final byte[] hash = new byte[HASH_BYTES];
        try {
            compute(password, salt, parameters, hash);
            return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations() + ",p="
                    + parameters.parallelism() + "$" + BASE64.encodeToString(salt) + "$" + BASE64.encodeToString(hash);
        } finally {
            Arrays.fill(hash, (byte) 0);
        }
    }

    /**
     * Whether {@code password} is the one {@code encoded} was made from (constant-time comparison).
     *
     * @throws IllegalArgumentException when {@code encoded} is not an Argon2id v19 hash in the PHC format, or its
     *         parameters are outside what {@link PasswordHashing} accepts (a damaged or hostile entry must not make
     *         the switch allocate gigabytes)
     */
    public static boolean verify(final char[] password, final String encoded) {
        final Decoded decoded = decode(encoded);
        final byte[] actual = new byte[decoded.hash.length];
        try {
            compute(password, decoded.salt, decoded.parameters, actual);
            return MessageDigest.isEqual(actual, decoded.hash);
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /** The parameters an encoded hash was made with (to re-hash at login when they are below the current ones). */
    public static PasswordHashing parametersOf(final String encoded) {
        return decode(encoded).parameters;
    }

    /** Whether {@code encoded} is a well-formed hash this class can verify. */
    public static boolean isWellFormed(final String encoded) {
        try {
            decode(encoded);
            return true;
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }

    private record Decoded(PasswordHashing parameters, byte[] salt, byte[] hash) {
    }

    private static Decoded decode(final String encoded) {
        if (encoded == null || encoded.length() > MAX_ENCODED_LENGTH) {
            throw new IllegalArgumentException("not an Argon2id hash: missing or longer than " + MAX_ENCODED_LENGTH
                    + " characters");
        }
        final Matcher m = ENCODED.matcher(encoded);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an Argon2id hash in the form $argon2id$v=19$m=…,t=…,p=…$salt$hash");
        }
        if (!"19".equals(m.group(1))) {
            throw new IllegalArgumentException("Argon2 version " + m.group(1) + " is not supported (only v=19)");
        }
        final PasswordHashing parameters = new PasswordHashing(Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        final byte[] salt = base64(m.group(5), "salt");
        final byte[] hash = base64(m.group(6), "hash");
        if (salt.length < 8 || salt.length > 64) {
            throw new IllegalArgumentException("Argon2id salt of " + salt.length + " bytes (8..64 accepted)");
        }
        if (hash.length < 16 || hash.length > 64) {
            throw new IllegalArgumentException("Argon2id hash of " + hash.length + " bytes (16..64 accepted)");
        }
        return new Decoded(parameters, salt, hash);
    }

    private static byte[] base64(final String text, final String what) {
        try {
            return BASE64_DECODER.decode(text);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("Argon2id " + what + " is not Base64");
        }
    }

    private static void compute(final char[] password, final byte[] salt, final PasswordHashing parameters,
            final byte[] out) {
        final Argon2Parameters argon2 = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(parameters.memoryKiB())
                .withIterations(parameters.iterations())
                .withParallelism(parameters.parallelism())
                .withSalt(salt)
                .build();
        final Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(argon2);
        final byte[] bytes = utf8(password);
        try {
            generator.generateBytes(bytes, out);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static byte[] utf8(final char[] password) {
        final java.nio.ByteBuffer buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
