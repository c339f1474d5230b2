package dev.prepaid.config;

import dev.prepaid.security.KeyComponentSource;
import dev.prepaid.security.KeyMaterialException;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Key material ({@code keys} in the configuration). The configuration holds only where the secrets are, never
 * a secret: the MFK components come from files or environment variables, the other keys from the key file,
 * encrypted under the MFK.
 *
 * @param mfkComponents at least two sources, {@code file:<absolute path>} or {@code env:<variable>} (relative
 *        file paths were resolved when the configuration was read)
 * @param keyFile the key file (TMKs, CVK pairs, PIN verification key), absolute
 * @param development true only with the shipped, public development MFK (the demo); the switch then warns
 *        loudly, and accepts clear passwords and PINs in the bootstrap file and cheap password hashing
 */
public record KeySettings(List<String> mfkComponents, Path keyFile, boolean development) {

    public KeySettings {
        mfkComponents = List.copyOf(mfkComponents);
    }

    /** The component files (to check at start that they exist), in order. */
    public List<Path> componentFiles() {
        final List<Path> files = new ArrayList<>();
        for (final String spec : mfkComponents) {
            if (spec.startsWith("file:")) {
                files.add(Path.of(spec.substring("file:".length())));
            }
        }
        return files;
    }

    /** Reads and combines the MFK components, reading variables from the process environment. */
    public MasterFileKey loadMasterFileKey() {
        return loadMasterFileKey(System::getenv);
    }

    /**
     * Reads and combines the MFK components and checks them against {@link #development()}.
     *
     * @throws ConfigException naming the component, or the mismatch between the MFK and the development flag
     */
    public MasterFileKey loadMasterFileKey(final Function<String, String> environment) {
        final MasterFileKey mfk;
        try {
            final List<KeyComponentSource> sources = new ArrayList<>();
            for (final String spec : mfkComponents) {
                sources.add(KeyComponentSource.parse(spec));
            }
            mfk = MasterFileKey.load(sources, environment);
        } catch (final KeyMaterialException e) {
            throw new ConfigException("keys.mfkComponents: " + e.getMessage(), e);
        }
        if (development && !mfk.isDevelopmentKey()) {
            throw new ConfigException("keys.development is true, but the MFK components (check value "
                    + mfk.checkValueHex() + ") are not the shipped development components; development: true is only"
                    + " for the demo's public MFK");
        }
        if (!development && mfk.isDevelopmentKey()) {
            throw new ConfigException("keys.mfkComponents make the shipped development MFK (check value "
                    + mfk.checkValueHex() + "), which is public: anybody can decrypt the key file. Load real components,"
                    + " or set keys.development: true to run the demo");
        }
        return mfk;
    }

    /**
     * Reads and decrypts the key file under {@code mfk}.
     *
     * @throws ConfigException naming the file, line and key (never the key)
     */
    public StoredKeys loadKeyFile(final MasterFileKey mfk) {
        try {
            return StoredKeys.load(keyFile, mfk);
        } catch (final KeyMaterialException e) {
            throw new ConfigException("keys.keyFile: " + e.getMessage(), e);
        }
    }
}
