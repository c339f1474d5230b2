package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.testing.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What an operator finds without a switch: every command's help with an example, the exit codes, the manual
 * (docs/admin-cli.md) naming every command, the completion script, and usage mistakes as exit code 2.
 */
class HelpAndCompletionTest {
    @TempDir
    Path home;

    private Cli cli() {
        return Cli.of("http://127.0.0.1:9", home);
    }

    /** Every command that does something, by its words after "prepaid-admin" ("card sell"). */
    private static List<String> leafCommands() {
        final List<String> names = new ArrayList<>();
        collect(new CommandLine(new PrepaidAdmin(null)), names);
        return names;
    }

    private static void collect(final CommandLine command, final List<String> names) {
        if (command.getSubcommands().isEmpty()) {
            names.add(command.getCommandSpec().qualifiedName().substring(PrepaidAdmin.NAME.length() + 1));
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, names));
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        final List<String> commands = leafCommands();
        assertThat(commands).contains("login", "card sell", "terminal register", "approvals approve", "completion")
                .hasSizeGreaterThan(50);
        for (final String command : commands) {
            final List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            final Cli.Result help = cli().run(args.toArray(String[]::new));
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: prepaid-admin " + command)
                    .containsPattern("Example:\n  (printf .*\\| )?prepaid-admin " + command);
        }
    }

    @Test
    void theTopHelpListsTheExitCodes() {
        final Cli.Result help = cli().run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Exit codes:", "  0  done", "  1  refused by the ledger", "  2  bad input or usage",
                "  3  not found", "  4  not logged in or not allowed", "  5  unreachable or busy",
                "  6  internal error of the switch");
    }

    @Test
    void theManualShowsEveryCommandAndTheExitCodes() throws IOException {
        final String manual = Files.readString(ProjectFiles.path("docs/admin-cli.md"), StandardCharsets.UTF_8);

        for (final String command : leafCommands()) {
            assertThat(manual).as(command).contains("prepaid-admin " + command);
        }
        assertThat(manual).contains("## Exit codes", "| 5 | unreachable or busy", "## Shell completion");
    }

    @Test
    void completionPrintsABashScriptOfTheCommands() {
        final Cli.Result completion = cli().run("completion");

        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_prepaid-admin")
                .contains("terminal register").contains("--face-value").contains("BANK_TRANSFER");
    }

    @Test
    void aCommandGroupWithoutItsCommandOrAMistypedOneIsExitCode2() {
        final Cli.Result group = cli().run("card");
        assertThat(group.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(group.err()).startsWith("prepaid-admin: prepaid-admin card needs one of sell, recharge, show,");

        final Cli.Result typo = cli().run("card", "shwo", "8888000100000017");
        assertThat(typo.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(typo.err()).startsWith("prepaid-admin: 'shwo' is no command of prepaid-admin card (sell,");

        final Cli.Result nothing = cli().run();
        assertThat(nothing.exitCode()).isEqualTo(Exit.BAD_INPUT);
        assertThat(nothing.err()).startsWith("Usage: prepaid-admin");
    }
}
