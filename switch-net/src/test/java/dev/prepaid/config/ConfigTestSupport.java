package dev.prepaid.config;

import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** The project's shipped files, found from the working directory upwards. */
final class ConfigTestSupport {
    /** A fixed "today" so that dates in the demo are reproducible. */
    static final LocalDate TODAY = LocalDate.of(2026, 3, 2);

    private ConfigTestSupport() {
    }

    /** The project root: the nearest directory above the working directory holding config/switch.yaml. */
    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve(SwitchConfig.DEFAULT_PATH))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find " + SwitchConfig.DEFAULT_PATH + " above " + System.getProperty("user.dir"));
    }

    static Path demoDirectory() {
        return root().resolve("config/demo");
    }

    static SwitchConfig demoConfig() {
        return SwitchConfig.load(demoDirectory().resolve("switch.yaml"), root());
    }

    /** The demo key file under the development MFK. */
    static StoredKeys demoKeys() {
        return StoredKeys.load(demoDirectory().resolve("keys.txt"), MasterFileKey.development());
    }

    /** Bootstrap options of the demo with cheap password hashing, today = {@link #TODAY}. */
    static Bootstrap.Options demoOptions(final SwitchConfig config) {
        return new Bootstrap.Options(TODAY, config.ledger(), demoKeys(),
                new PasswordHasher(new PasswordHashing(64, 1, 1)), true);
    }
}
