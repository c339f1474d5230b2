package dev.prepaid.config;

import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import dev.prepaid.testing.ProjectFiles;
import java.nio.file.Path;
import java.time.LocalDate;

/** The project's shipped files, found from the working directory upwards. */
final class ConfigTestSupport {
    /** A fixed "today" so that dates in the demo are reproducible. */
    static final LocalDate TODAY = LocalDate.of(2026, 3, 2);

    private ConfigTestSupport() {
    }

    /** The project root ({@link ProjectFiles#root}), where config/switch.yaml and config/demo are. */
    static Path root() {
        return ProjectFiles.root();
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
