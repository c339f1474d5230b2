package dev.prepaid.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Terminal deployers (agents): each is owed the deployer share of its terminals and paid by the settlement batches. */
@Command(name = "deployer", mixinStandardHelpOptions = true, description = "Terminal deployers and what they are owed.",
        subcommands = {DeployerCommands.Put.class, DeployerCommands.ListAll.class})
final class DeployerCommands {
    private DeployerCommands() {
    }

    private static final List<String> COLUMNS = List.of("code", "name", "owed", "sharesToday", "terminals",
            "bankAccount", "bankName");

    @Command(name = "put", description = "Creates or replaces a deployer (UPSERT_DEPLOYER). Terminals whose deployer"
            + " code (terminal register/update --deployer) is CODE owe their deployer share to it from then on.",
            footer = {"", "Example:",
                "  prepaid-admin deployer put DEP01 --name 'East agents' --bank-account 6222020200991234567 \\",
                "      --bank-account-name 'East Agents Ltd.' --bank-name 'ICBC Shanghai' --cnaps 102290000011"})
    static final class Put extends Action.Write {
        @Parameters(index = "0", paramLabel = "CODE", description = "the deployer's code (1..15 characters, no spaces;"
                + " not a merchant's id)")
        String code;

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--bank-account", required = true, paramLabel = "ACCOUNT", description = "its payout account")
        String bankAccount;

        @Option(names = "--bank-account-name", required = true, paramLabel = "NAME")
        String bankAccountName;

        @Option(names = "--bank-name", required = true, paramLabel = "NAME")
        String bankName;

        @Option(names = "--cnaps", required = true, paramLabel = "CODE", description = "the bank's 12-digit CNAPS code")
        String cnaps;

        @Override
        public Integer call() {
            final ObjectNode f = fields();
            f.put("code", code);
            f.put("name", name);
            f.put("bankAccount", bankAccount);
            f.put("bankAccountName", bankAccountName);
            f.put("bankName", bankName);
            f.put("cnapsCode", cnaps);
            return apply("UPSERT_DEPLOYER", f);
        }
    }

    @Command(name = "list", description = "Lists the deployers: what each is owed (2205; negative: shares it gave"
            + " back), today's shares, its terminals.", footer = {"", "Example:", "  prepaid-admin deployer list"})
    static final class ListAll extends Action.Lister {
        @Override
        public Integer call() {
            return list("/v1/deployers", "", page, COLUMNS);
        }
    }
}
