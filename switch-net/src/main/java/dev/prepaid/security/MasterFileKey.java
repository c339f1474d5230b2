package dev.prepaid.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The master file key: the double-length 3DES key under which every other key at rest (TMKs, CVK pairs, the
 * PIN verification key) is encrypted, ECB. It is never stored whole: it is the XOR of two or more components,
 * each held by a different custodian and handed to the switch at start from a file or an environment variable
 * ({@link KeyComponentSource}).
 *
 * <p>Refused, with a message naming the component: fewer than two components; a component that is not 32 hex
 * digits; an all-zero component (it adds no secret); two identical components (a copy-paste slip, and with two
 * components the key would be zero); an all-zero result; a result whose halves are equal (3DES would collapse to
 * single DES). Parity is not checked: the XOR of two odd-parity components has even parity and DES ignores the
 * parity bits anyway.
 */
public final class MasterFileKey {
    public static final int MIN_COMPONENTS = 2;
    /** Hex digits in one component (a double-length key). */
    public static final int COMPONENT_HEX_DIGITS = 2 * DesKey.DOUBLE_LENGTH;

    /**
     * DEVELOPMENT ONLY, NOT A SECRET: the components of the MFK of the demo configuration. They are the
     * published key check value vector (the test vectors: check value 40D522), so anybody can
     * decrypt a key file made under them. The server must warn loudly when {@link #isDevelopmentKey()}.
     */
    public static final List<String> DEVELOPMENT_COMPONENTS = List.of(
        "E09B073B4007541FAB76B04370451031",
        "4CBF5D51EA8525EF045EFED6E386D9D9");

    private static final MasterFileKey DEVELOPMENT = fromComponents(DEVELOPMENT_COMPONENTS);

    private final DesKey key;

    private MasterFileKey(final DesKey key) {
        this.key = key;
    }

    /** Loads and combines components, reading environment variables from the process environment. */
    public static MasterFileKey load(final List<KeyComponentSource> sources) {
        return load(sources, System::getenv);
    }

    /**
     * Loads and combines components.
     *
     * @param environment environment variable lookup ({@code System::getenv} in production)
     * @throws KeyMaterialException naming the component and what is wrong with it
     */
    public static MasterFileKey load(
        final List<KeyComponentSource> sources, final Function<String, String> environment) {
        requireEnoughComponents(sources.size());
        final List<byte[]> components = new ArrayList<>(sources.size());
        try {
            for (int i = 0; i < sources.size(); i++) {
                final KeyComponentSource source = sources.get(i);
                final char[] text = source.readText(environment);
                try {
                    components.add(decodeComponent(text, "MFK component " + (i + 1) + " (" + source + ")"));
                } finally {
                    Arrays.fill(text, '\0');
                }
            }
            return combine(components);
        } finally {
            components.forEach(c -> Arrays.fill(c, (byte) 0));
        }
    }

    /** Combines components given as hex text (tools and tests). */
    public static MasterFileKey fromComponents(final List<? extends CharSequence> hexComponents) {
        requireEnoughComponents(hexComponents.size());
        final List<byte[]> components = new ArrayList<>(hexComponents.size());
        try {
            for (int i = 0; i < hexComponents.size(); i++) {
                final CharSequence hex = hexComponents.get(i);
                final char[] text = new char[hex.length()];
                for (int c = 0; c < text.length; c++) {
                    text[c] = hex.charAt(c);
                }
                try {
                    components.add(decodeComponent(text, "MFK component " + (i + 1)));
                } finally {
                    Arrays.fill(text, '\0');
                }
            }
            return combine(components);
        } finally {
            components.forEach(c -> Arrays.fill(c, (byte) 0));
        }
    }

    /** The demo configuration's MFK, made of {@link #DEVELOPMENT_COMPONENTS}. */
    public static MasterFileKey development() {
        return DEVELOPMENT;
    }

    private static void requireEnoughComponents(final int count) {
        if (count < MIN_COMPONENTS) {
            throw new KeyMaterialException("the MFK needs at least " + MIN_COMPONENTS
                + " components held by different people; got " + count);
        }
    }

    /** Hex digits of one component; whitespace ignored, {@code #} starts a comment running to the end of line. */
    private static byte[] decodeComponent(final char[] text, final String what) {
        final byte[] out = new byte[DesKey.DOUBLE_LENGTH];
        int digits = 0;
        boolean inComment = false;
        for (int i = 0; i < text.length; i++) {
            final char c = text[i];
            if (inComment) {
                inComment = c != '\n' && c != '\r';
                continue;
            }
            if (c == '#') {
                inComment = true;
                continue;
            }
            if (Character.isWhitespace(c)) {
                continue;
            }
            final int value = Hex.digit(c);
            if (value < 0) {
                Arrays.fill(out, (byte) 0);
                throw new KeyMaterialException(what + ": character " + (i + 1) + " is not a hex digit");
            }
            if (digits < COMPONENT_HEX_DIGITS) {
                out[digits / 2] |= (byte) ((digits & 1) == 0 ? value << 4 : value);
            }
            digits++;
        }
        if (digits != COMPONENT_HEX_DIGITS) {
            Arrays.fill(out, (byte) 0);
            throw new KeyMaterialException(what + ": expected " + COMPONENT_HEX_DIGITS
                + " hex digits (a double-length key), found " + digits);
        }
        if (isAllZero(out)) {
            throw new KeyMaterialException(what + " is all zeros: it adds no secret");
        }
        return out;
    }

    private static MasterFileKey combine(final List<byte[]> components) {
        for (int i = 0; i < components.size(); i++) {
            for (int j = i + 1; j < components.size(); j++) {
                if (Arrays.equals(components.get(i), components.get(j))) {
                    throw new KeyMaterialException(
                        "MFK components " + (i + 1) + " and " + (j + 1) + " are identical");
                }
            }
        }
        final byte[] combined = new byte[DesKey.DOUBLE_LENGTH];
        try {
            for (final byte[] component : components) {
                for (int b = 0; b < combined.length; b++) {
                    combined[b] ^= component[b];
                }
            }
            if (isAllZero(combined)) {
                throw new KeyMaterialException("the MFK components XOR to all zeros");
            }
            final DesKey key = DesKey.of(combined);
            if (key.hasEqualHalves()) {
                throw new KeyMaterialException(
                    "the MFK components XOR to a key with equal halves, which is single DES");
            }
            return new MasterFileKey(key);
        } finally {
            Arrays.fill(combined, (byte) 0);
        }
    }

    private static boolean isAllZero(final byte[] bytes) {
        int any = 0;
        for (final byte b : bytes) {
            any |= b;
        }
        return any == 0;
    }

    /** Whether this is the demo configuration's MFK (by value, whatever sources it came from). */
    public boolean isDevelopmentKey() {
        return key.sameKeyAs(DEVELOPMENT.key);
    }

    /** The MFK's check value (3 bytes, hex): safe to print so operators can confirm the components. */
    public String checkValueHex() {
        return key.checkValueHex(DesKey.DISPLAY_CHECK_VALUE_LENGTH);
    }

    /** The cryptogram of a clear key under the MFK: 3DES ECB, same length as the key. */
    public byte[] encrypt(final DesKey clearKey) {
        final byte[] out = new byte[clearKey.length()];
        clearKey.copyClearTo(out, 0);
        key.encryptEcb(out, 0, out.length, out, 0);
        return out;
    }

    /** Decrypts an 8- or 16-byte cryptogram into a key, without a check value to verify. */
    public DesKey decrypt(final byte[] cryptogram, final int offset, final int length) {
        if (length != DesKey.SINGLE_LENGTH && length != DesKey.DOUBLE_LENGTH) {
            throw new KeyMaterialException("a key cryptogram is 8 or 16 bytes, not " + length);
        }
        final byte[] clear = new byte[length];
        try {
            key.decryptEcb(cryptogram, offset, length, clear, 0);
            return DesKey.of(clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /**
     * Decrypts a cryptogram and checks the result against the expected check value (1–8 bytes).
     *
     * @throws KeyMaterialException on a mismatch, giving both check values
     */
    public DesKey decrypt(
        final byte[] cryptogram, final int offset, final int length,
        final byte[] checkValue, final int checkValueOffset, final int checkValueLength) {
        final DesKey decrypted = decrypt(cryptogram, offset, length);
        if (checkValueLength < 1 || checkValueLength > DesKey.BLOCK_LENGTH) {
            throw new KeyMaterialException("a check value is 1 to 8 bytes, not " + checkValueLength);
        }
        if (!decrypted.checkValueMatches(checkValue, checkValueOffset, checkValueLength)) {
            throw new KeyMaterialException("check value mismatch: expected "
                + Hex.encode(checkValue, checkValueOffset, checkValueLength) + ", decrypted key gives "
                + decrypted.checkValueHex(checkValueLength) + " (wrong MFK, or a damaged cryptogram)");
        }
        return decrypted;
    }

    /** Decrypts a hex cryptogram, checking the hex check value when it is not {@code null}. */
    public DesKey decryptHex(final String cryptogramHex, final String checkValueHex) {
        final byte[] cryptogram = decodeHex(cryptogramHex, "key cryptogram");
        if (checkValueHex == null) {
            return decrypt(cryptogram, 0, cryptogram.length);
        }
        final byte[] checkValue = decodeHex(checkValueHex, "check value");
        return decrypt(cryptogram, 0, cryptogram.length, checkValue, 0, checkValue.length);
    }

    private static byte[] decodeHex(final String hex, final String what) {
        try {
            return Hex.decode(hex);
        } catch (final IllegalArgumentException ex) {
            throw new KeyMaterialException(what + ": " + ex.getMessage());
        }
    }

    @Override
    public String toString() {
        return "MasterFileKey[kcv=" + checkValueHex() + (isDevelopmentKey() ? ", DEVELOPMENT KEY" : "") + "]";
    }
}
