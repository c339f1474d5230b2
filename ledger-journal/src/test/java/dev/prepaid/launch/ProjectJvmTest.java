package dev.prepaid.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectJvmTest {
    @Test
    void theConfigDirectoryIsFoundFromBelowIt(@TempDir final Path home) throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config").resolve("jvm.options"), "-Dx=1\n");
        final Path deep = Files.createDirectories(home.resolve("bench").resolve("target"));

        assertThat(ProjectJvm.findConfig(deep)).isEqualTo(home.resolve("config").toAbsolutePath().normalize());
        assertThat(ProjectJvm.findConfig(home)).isEqualTo(home.resolve("config").toAbsolutePath().normalize());
    }

    @Test
    void noConfigDirectoryAboveIsNull(@TempDir final Path elsewhere) {
        assertThat(ProjectJvm.findConfig(elsewhere)).isNull();
    }

    @Test
    void productionAddsItsFileAndJdk24ItsOwn(@TempDir final Path home) throws Exception {
        final Path config = Files.createDirectories(home.resolve("config"));
        Files.writeString(config.resolve("jvm.options"), "-Dx=1\n");
        final String base = "@" + config.toAbsolutePath().normalize().resolve("jvm.options");
        final String production = "@" + config.toAbsolutePath().normalize().resolve("jvm-production.options");
        final String jdk24 = "@" + config.toAbsolutePath().normalize().resolve("jvm-jdk24.options");
        final boolean newJdk = Runtime.version().feature() >= 24;

        assertThat(ProjectJvm.argumentFiles(config, false))
                .containsExactlyElementsOf(newJdk ? java.util.List.of(base, jdk24) : java.util.List.of(base));
        assertThat(ProjectJvm.argumentFiles(config, true)).containsExactlyElementsOf(newJdk
                ? java.util.List.of(base, production, jdk24) : java.util.List.of(base, production));
    }

    @Test
    void aDirectoryWithoutJvmOptionsIsRefusedByName(@TempDir final Path empty) {
        assertThatThrownBy(() -> ProjectJvm.argumentFiles(empty, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jvm.options not found");
    }

    @Test
    void theChildRunsThisJava() {
        assertThat(Path.of(ProjectJvm.javaExecutable())).exists();
    }
}
