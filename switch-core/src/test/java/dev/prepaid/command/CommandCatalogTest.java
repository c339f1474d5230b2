package dev.prepaid.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/commands.md is generated from the code; this fails when it is stale. */
class CommandCatalogTest {

    @Test
    void documentationMatchesTheCode() throws Exception {
        final Path doc = Path.of("..", "docs", "commands.md");
        final String generated = CommandCatalog.markdown();
        if (Boolean.getBoolean("catalog.write")) {
            Files.writeString(doc, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(doc)).as("docs/commands.md exists (run with -Dcatalog.write=true)").isTrue();
        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
                .as("docs/commands.md is stale: run mvn -pl switch-core test -Dtest=CommandCatalogTest -Dcatalog.write=true")
                .isEqualTo(generated);
    }

    @Test
    void everyAdminCommandHasAUniqueCodeAndRoundTrips() {
        final java.util.Set<Integer> codes = new java.util.HashSet<>();
        for (final CommandType type : CommandType.values()) {
            assertThat(codes.add(type.code)).as("code %d", type.code).isTrue();
            assertThat(CommandType.ofCode(type.code)).isSameAs(type);
        }
    }
}
