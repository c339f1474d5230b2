package dev.prepaid.payout;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A payout file made in memory and checked, not yet on disk: its name and its bytes. The SHA-256 is what the
 * journal will record, so that the file the bank received can later be proven to be the one the switch made.
 */
public final class PayoutFile {
    /** Names made here are letters, digits, '.', '-' and '_', never a path, never hidden. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final String name;
    private final byte[] content;
    private final String sha256;

    PayoutFile(final String name, final byte[] content) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + PayoutText.printable(name) + "' is not a payout file name");
        }
        this.name = name;
        this.content = content.clone();
        this.sha256 = sha256(this.content);
    }

    public String name() {
        return name;
    }

    /** A copy of the file's bytes. */
    public byte[] content() {
        return content.clone();
    }

    public int size() {
        return content.length;
    }

    /** SHA-256 of the bytes, 64 lower-case hex digits. */
    public String sha256() {
        return sha256;
    }

    boolean sameContent(final byte[] other) {
        return Arrays.equals(content, other);
    }

    static String sha256(final byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + content.length + " bytes, sha256 " + sha256 + ")";
    }
}
