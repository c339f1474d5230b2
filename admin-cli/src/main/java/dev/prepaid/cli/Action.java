package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that does something (a leaf of the command tree), with the helpers every one of them uses. */
@Command(mixinStandardHelpOptions = true)
abstract class Action implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PrepaidAdmin cli() {
        return (PrepaidAdmin) spec.root().userObject();
    }

    ObjectNode fields() {
        return cli().object();
    }

    JsonNode read(final String pathAndQuery) {
        return cli().read(pathAndQuery, spec);
    }

    /** Prints one item read from the endpoint. */
    int show(final JsonNode item) {
        cli().printItem(item);
        return Exit.OK;
    }

    /** A list read page by page as {@code ListOptions} says; printed as a table of {@code columns}. */
    int list(final String path, final String query, final ListOptions options, final List<String> columns) {
        final List<JsonNode> items = new ArrayList<>();
        int from = options.from;
        int next;
        do {
            final String separator = query.isEmpty() ? "?" : "&";
            final JsonNode page = read(path + (query.isEmpty() ? "" : "?" + query) + separator + "from=" + from
                    + "&limit=" + options.limit);
            page.path("items").forEach(items::add);
            next = page.path("next").asInt(-1);
            from = next;
        } while (options.all && next >= 0);
        if (cli().jsonOutput()) {
            final ObjectNode page = cli().object();
            final ArrayNode array = page.putArray("items");
            items.forEach(array::add);
            page.put("next", next);
            cli().printJson(page);
        } else {
            Output.table(cli().out(), columns, items);
            if (next >= 0) {
                cli().out().println("(more: --from " + next + ", or --all)");
            }
        }
        return Exit.OK;
    }

    /** The options of a list read: where to start, how many per page, or every page. */
    static final class ListOptions {
        @Option(names = "--from", paramLabel = "N", description = "start at this position (the 'more: --from' of the"
                + " previous page; default 0)")
        int from;

        @Option(names = "--limit", paramLabel = "N", description = "at most this many per page, 1-500 (default 100)")
        int limit = 100;

        @Option(names = "--all", description = "every page, not only the first")
        boolean all;
    }

    /** A command that changes something: one journaled operator command, with an optional note. */
    abstract static class Write extends Action {
        @Option(names = "--note", paramLabel = "TEXT", description = "why, kept with the command in the journal (at"
                + " most 200 characters)")
        String note = "";

        /** Submits the command; prints what the ledger did; a refusal is the command's failure. */
        int apply(final String type, final ObjectNode fields) {
            cli().printApplied(applied(type, fields, null));
            return Exit.OK;
        }

        JsonNode applied(final String type, final ObjectNode fields, final char[] password) {
            return cli().command(type, fields, note, password, spec);
        }
    }

    /** The page options, mixed into list commands. */
    abstract static class Lister extends Action {
        @Mixin
        ListOptions page;
    }
}
