package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.config.SwitchConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of {@code serve}: each mistake named as what it is. */
class ServeCommandTest {
    @TempDir
    Path directory;

    @Test
    void theConfigurationIsTheGivenFileOrTheInstallationsDefault() throws IOException {
        final Path file = Files.writeString(directory.resolve("switch.yaml"), "server: {}\n");
        assertThat(ServeCommand.configFile(new String[] {"--config", file.toString()}, directory)).isEqualTo(file);
        final Path installed = directory.resolve(SwitchConfig.DEFAULT_PATH);
        Files.createDirectories(installed.getParent());
        Files.writeString(installed, "server: {}\n");
        assertThat(ServeCommand.configFile(new String[0], directory)).isEqualTo(installed);
        assertThat(ServeCommand.configFile(new String[] {"--help"}, directory)).isNull();
    }

    @Test
    void eachMistakeIsNamed() throws IOException {
        final Path file = Files.writeString(directory.resolve("switch.yaml"), "server: {}\n");
        assertThatThrownBy(() -> ServeCommand.configFile(new String[] {"--config"}, directory))
                .hasMessageStartingWith("--config needs a file");
        assertThatThrownBy(() -> ServeCommand.configFile(new String[] {"--config", directory.toString()}, directory))
                .hasMessage(directory + " is a directory, not a configuration file");
        assertThatThrownBy(() -> ServeCommand.configFile(new String[] {"--config", file.toString(), "--config",
            file.toString()}, directory)).hasMessageStartingWith("--config given twice");
        assertThatThrownBy(() -> ServeCommand.configFile(new String[] {"--config", directory.resolve("nope.yaml")
            .toString()}, directory)).hasMessage("configuration file " + directory.resolve("nope.yaml")
                + " does not exist");
        assertThatThrownBy(() -> ServeCommand.configFile(new String[] {"--port", "1"}, directory))
                .hasMessageStartingWith("unknown argument '--port'");
    }
}
