package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.CommandType;
import dev.prepaid.demo.DemoBusiness;
import dev.prepaid.operator.Permissions;
import dev.prepaid.operator.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The README's role table is {@link Permissions} printed: this test fails when the two differ, and rewrites the
 * table with {@code -Droles.write=true}.
 */
class RoleTableTest {
    private static final String BEGIN = "<!-- roles: generated from Permissions by RoleTableTest -->";
    private static final String END = "<!-- /roles -->";
    private static final List<Role> COLUMNS = List.of(Role.ADMINISTRATOR, Role.CLERK, Role.SUPERVISOR, Role.FINANCE,
            Role.AUDITOR, Role.MERCHANT_USER);

    static String table() {
        final StringBuilder out = new StringBuilder();
        out.append("| command or read |");
        for (final Role role : COLUMNS) {
            out.append(' ').append(role.storedName().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" |");
        }
        out.append('\n').append("|---|").append(":-:|".repeat(COLUMNS.size())).append('\n');
        for (final CommandType type : CommandType.values()) {
            if (type.recordClass == null || type.systemOnly()) {
                continue;
            }
            out.append("| `").append(type.name()).append("` |");
            for (final Role role : COLUMNS) {
                out.append(Permissions.allows(role, type) ? " ✓ |" : "   |");
            }
            out.append('\n');
        }
        for (final Permissions.View view : Permissions.View.values()) {
            out.append("| read ").append(view.name().toLowerCase(Locale.ROOT)).append(" |");
            for (final Role role : COLUMNS) {
                out.append(Permissions.allows(role, view) ? " ✓ |" : "   |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    @Test
    void theReadmeShowsThePermissionsTheLedgerEnforces() throws IOException {
        final Path readme = DemoBusiness.installationAbove(Path.of("")).resolve("README.md");
        final String text = Files.readString(readme, StandardCharsets.UTF_8);
        final int begin = text.indexOf(BEGIN);
        final int end = text.indexOf(END);
        assertThat(begin).as("README.md has the markers " + BEGIN + " … " + END).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        final String expected = BEGIN + "\n" + table() + END;
        final String actual = text.substring(begin, end + END.length());
        if (Boolean.getBoolean("roles.write") && !actual.equals(expected)) {
            Files.writeString(readme, text.replace(actual, expected), StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("README role table; regenerate with -Droles.write=true").isEqualTo(expected);
    }
}
