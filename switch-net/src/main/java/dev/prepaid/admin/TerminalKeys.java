package dev.prepaid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prepaid.config.KeyNames;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.Hex;
import dev.prepaid.security.KeyMaterialException;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TMK of a terminal registered on a running switch: taken from the request as two or three clear components
 * (each typed by its custodian, XORed here) or as a cryptogram under a transport key of the key file, checked
 * against its check value, then written to the key file under the MFK and put into the running switch's keys, so
 * the terminal can sign on at once. The clear key lives in memory only; no message, log line or journal entry
 * holds it or a component (the journal only names the key, by reference).
 */
public final class TerminalKeys {
    /** Check values given and shown: 3 bytes, 6 hex digits, as key loaders print them. */
    static final int CHECK_VALUE_BYTES = DesKey.DISPLAY_CHECK_VALUE_LENGTH;
    private static final String HEADER = "terminal keys are added here by the admin endpoint (POST /v1/terminals) and"
            + " by bin/prepaid keys";

    private final StoredKeys live;
    private final MasterFileKey mfk;
    private final Path keyFile;

    public TerminalKeys(final StoredKeys live, final MasterFileKey mfk, final Path keyFile) {
        this.live = live;
        this.mfk = mfk;
        this.keyFile = keyFile;
    }

    /** A TMK read from a request, checked, not yet stored. */
    record Loaded(String reference, DesKey key, String checkValue) {
    }

    static String referenceOf(final String terminalId) {
        return KeyNames.tmk(terminalId);
    }

    /** Reads and checks the {@code tmk} object of a registration; nothing is stored yet. */
    Loaded load(final String terminalId, final JsonNode tmk) {
        final String reference = referenceOf(terminalId);
        if (!KeyNames.isTmk(reference)) {
            throw AdminError.badField("fields.terminalId", "a terminal id for a key reference is 1-60 of A-Z a-z 0-9 . _"
                    + " - :");
        }
        for (final Iterator<String> names = tmk.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!name.equals("components") && !name.equals("underTransportKey") && !name.equals("transportKey")
                    && !name.equals("checkValue")) {
                throw AdminError.badField("tmk." + name, "tmk has components, or underTransportKey and transportKey;"
                        + " and checkValue. Not '" + name + "'");
            }
        }
        final String checkValue = hex(tmk, "checkValue", 2 * CHECK_VALUE_BYTES, 2 * CHECK_VALUE_BYTES);
        final boolean components = tmk.has("components");
        if (components == tmk.has("underTransportKey")) {
            throw AdminError.badField("tmk", "give the TMK either as components (2 or 3 custodians' parts) or as"
                    + " underTransportKey with transportKey, not " + (components ? "both" : "neither"));
        }
        final DesKey key = components ? fromComponents(tmk.get("components")) : fromCryptogram(tmk);
        if (key.isDoubleLength() && key.hasEqualHalves()) {
            throw AdminError.badField("tmk", "the TMK's two halves are equal: that is single DES; use a real"
                    + " double-length key");
        }
        final String actual = key.checkValueHex(CHECK_VALUE_BYTES);
        if (!actual.equalsIgnoreCase(checkValue)) {
            throw AdminError.badField("tmk.checkValue", "the key does not match its check value " + checkValue
                    + " (it makes " + actual + "): a component or the cryptogram was mistyped; nothing was stored");
        }
        return new Loaded(reference, key, actual);
    }

    private static DesKey fromComponents(final JsonNode list) {
        if (!list.isArray() || list.size() < 2 || list.size() > 3) {
            throw AdminError.badField("tmk.components", "a TMK is entered as 2 or 3 components (hex), one per"
                    + " custodian");
        }
        byte[] combined = null;
        for (int i = 0; i < list.size(); i++) {
            final JsonNode node = list.get(i);
            final String field = "tmk.components[" + i + "]";
            if (!node.isTextual() || !Hex.isHex(node.textValue())
                    || node.textValue().length() != 2 * DesKey.DOUBLE_LENGTH && node.textValue().length() != 2 * DesKey.SINGLE_LENGTH) {
                throw AdminError.badField(field, "a component is 32 hex digits (16 for a single-length TMK)");
            }
            final byte[] part = Hex.decode(node.textValue());
            if (combined == null) {
                combined = part;
                continue;
            }
            if (part.length != combined.length) {
                Arrays.fill(part, (byte) 0);
                Arrays.fill(combined, (byte) 0);
                throw AdminError.badField(field, "all components have the same length");
            }
            for (int b = 0; b < part.length; b++) {
                combined[b] ^= part[b];
            }
            Arrays.fill(part, (byte) 0);
        }
        // XOR of odd-parity components has even parity; DES ignores the parity bits, terminals expect odd.
        DesKey.setOddParity(combined, 0, combined.length);
        try {
            return DesKey.of(combined);
        } finally {
            Arrays.fill(combined, (byte) 0);
        }
    }

    private DesKey fromCryptogram(final JsonNode tmk) {
        final String name = tmk.hasNonNull("transportKey") && tmk.get("transportKey").isTextual()
                ? tmk.get("transportKey").textValue() : "";
        if (!KeyNames.isTransport(name)) {
            throw AdminError.badField("tmk.transportKey", "name the transport key of the key file it is under:"
                    + " tk.<name>");
        }
        final DesKey transport = live.find(name);
        if (transport == null) {
            throw AdminError.badField("tmk.transportKey", "the key file has no transport key '" + name + "'; add it"
                    + " with bin/prepaid keys add " + name + " --stdin");
        }
        final String cryptogram = hex(tmk, "underTransportKey", 2 * DesKey.SINGLE_LENGTH, 2 * DesKey.DOUBLE_LENGTH);
        if (cryptogram.length() != 2 * DesKey.SINGLE_LENGTH && cryptogram.length() != 2 * DesKey.DOUBLE_LENGTH) {
            throw AdminError.badField("tmk.underTransportKey", "a TMK cryptogram is 32 hex digits (16 single-length)");
        }
        final byte[] encrypted = Hex.decode(cryptogram);
        final byte[] clear = new byte[encrypted.length];
        try {
            transport.decryptEcb(encrypted, 0, encrypted.length, clear, 0);
            return DesKey.of(clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    private static String hex(final JsonNode tmk, final String name, final int min, final int max) {
        final JsonNode node = tmk.get(name);
        if (node == null || !node.isTextual() || !Hex.isHex(node.textValue()) || node.textValue().length() < min
                || node.textValue().length() > max) {
            throw AdminError.badField("tmk." + name, name + " is " + (min == max ? min : min + " to " + max)
                    + " hex digits");
        }
        return node.textValue();
    }

    /**
     * Writes the key to the key file (re-read first, so keys added with {@code bin/prepaid keys} since the start
     * are kept) and into the running switch. Returns the key it replaced in memory, or null.
     */
    synchronized DesKey store(final Loaded loaded) {
        final Map<String, DesKey> onDisk;
        try {
            onDisk = Files.exists(keyFile) ? new LinkedHashMap<>(StoredKeys.load(keyFile, mfk).asMap())
                    : new LinkedHashMap<>();
        } catch (final KeyMaterialException e) {
            throw new AdminError(500, "KEY_FILE", "the key file cannot be read, nothing was stored: " + e.getMessage());
        }
        onDisk.put(loaded.reference(), loaded.key());
        try {
            StoredKeys.write(keyFile, onDisk, mfk, HEADER);
        } catch (final KeyMaterialException e) {
            throw new AdminError(500, "KEY_FILE", "the key file cannot be written, nothing was stored: " + e.getMessage());
        }
        return live.put(loaded.reference(), loaded.key());
    }

    /**
     * Undoes {@link #store} when the ledger refused the registration: the key file and the running switch get
     * back the key the reference had before (or lose it), so a refused request leaves the keys as they were.
     */
    synchronized void restore(final Loaded loaded, final DesKey previous) {
        final Map<String, DesKey> onDisk = new LinkedHashMap<>(StoredKeys.load(keyFile, mfk).asMap());
        if (previous == null) {
            onDisk.remove(loaded.reference());
        } else {
            onDisk.put(loaded.reference(), previous);
        }
        StoredKeys.write(keyFile, onDisk, mfk, HEADER);
        live.restore(loaded.reference(), previous);
    }
}
