package dev.prepaid.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkout found from below: the nearest directory with config/jvm.options, or a failure naming the start. */
class ProjectFilesTest {
    @TempDir
    Path directory;

    @Test
    void theNearestDirectoryWithTheMarkerIsTheRoot() throws IOException {
        final Path outer = directory.resolve("outer");
        final Path inner = outer.resolve("inner");
        Files.createDirectories(outer.resolve("config"));
        Files.writeString(outer.resolve(ProjectFiles.MARKER), "");
        Files.createDirectories(inner.resolve("config"));
        Files.writeString(inner.resolve(ProjectFiles.MARKER), "");
        final Path deep = Files.createDirectories(inner.resolve("module/target"));
        assertThat(ProjectFiles.rootAbove(deep)).isEqualTo(inner.toAbsolutePath());
        assertThat(ProjectFiles.rootAbove(inner)).isEqualTo(inner.toAbsolutePath());
        assertThat(ProjectFiles.rootAbove(outer.resolve("elsewhere"))).isEqualTo(outer.toAbsolutePath());
    }

    @Test
    void noMarkerAboveIsAFailureNamingTheStart() {
        final Path nowhere = directory.resolve("nowhere");
        assertThatThrownBy(() -> ProjectFiles.rootAbove(nowhere)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot find config/jvm.options in or above " + nowhere.toAbsolutePath());
    }

    @Test
    void theTestsRunInsideTheCheckout() {
        assertThat(ProjectFiles.root().resolve("test-support/pom.xml")).isRegularFile();
        assertThat(ProjectFiles.path("config/jvm.options")).isRegularFile();
    }
}
