package dev.prepaid.config;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;

/**
 * One command of the bootstrap, ready to publish.
 *
 * @param entry the entry of the bootstrap file it comes from, e.g. {@code terminals[2] (10000003)}; also the
 *        envelope's note, so the journal says where each command came from
 * @param envelope operator {@code system}, request id 0, source {@code bootstrap}
 */
public record BootstrapCommand(String entry, Envelope envelope, AdminCommand command) {
}
