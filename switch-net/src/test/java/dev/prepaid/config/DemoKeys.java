package dev.prepaid.config;

import dev.prepaid.security.DesKey;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's clear keys, as documented in {@code config/demo/README.md} and {@code config/demo/bootstrap.yaml}.
 * DEMO ONLY: they are public. {@code config/demo/keys.txt} is these keys under the development MFK; regenerate
 * it with {@code main} (argument: the file) after changing them, and the tests check the shipped file against
 * them.
 */
final class DemoKeys {
    /** Key-file name → clear key (hex), in file order. */
    static final Map<String, String> CLEAR = new LinkedHashMap<>();

    static {
        // TMKs of the demo terminals. 10000001 has the TMK of the sign-on vector of the test vectors (test-vectors).
        CLEAR.put("tmk.10000001", "CA5D92598DCA48CE8A4C76361A9269E9");
        CLEAR.put("tmk.10000002", "11223344556677888877665544332211");
        CLEAR.put("tmk.10000003", "3C3C3C3C5A5A5A5A9696969669696969");
        CLEAR.put("tmk.20000001", "22222222444444446666666688888888");
        CLEAR.put("tmk.20000002", "13579BDF02468ACEFDB975310ECA8642");
        CLEAR.put("tmk.20000003", "A1B2C3D4E5F60718293A4B5C6D7E8F90");
        // CVK pairs KeyA||KeyB of the demo card types. cvk.1 is the pair of the CVV vectors.
        CLEAR.put("cvk.1", "0123456789ABCDEFFEDCBA9876543210");
        CLEAR.put("cvk.2", "13131313131313132424242424242424");
        // PIN verification key (HMAC key of the PIN check values).
        CLEAR.put("pvk", "0A1B2C3D4E5F60718293A4B5C6D7E8F9");
    }

    static final String HEADER = String.join("\n",
            "DEMO ONLY - NOT SECRET. The keys of the demo business (config/demo/bootstrap.yaml), encrypted under the",
            "shipped development MFK (components config/demo/mfk-component-1.hex and -2.hex, check value 40D522).",
            "Their clear values are published in config/demo/README.md. Never use this file or these keys for real cards.",
            "Written by DemoKeys (switch-net tests) with StoredKeys.write.");

    private DemoKeys() {
    }

    static Map<String, DesKey> clearKeys() {
        final Map<String, DesKey> keys = new LinkedHashMap<>();
        CLEAR.forEach((name, hex) -> keys.put(name, DesKey.fromHex(hex)));
        return keys;
    }

    /** Writes the demo key file: {@code DemoKeys config/demo/keys.txt}. */
    public static void main(final String[] args) {
        StoredKeys.write(Path.of(args.length > 0 ? args[0] : "config/demo/keys.txt"), clearKeys(),
                MasterFileKey.development(), HEADER);
    }
}
