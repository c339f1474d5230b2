package dev.prepaid.pipeline;

/**
 * Writes one command into a claimed ring slot: the bytes into {@link CommandEvent#command}, where the reply
 * goes, and returns the command's length. Runs on the publishing thread; must not block.
 */
@FunctionalInterface
public interface CommandWriter<A> {
    int write(CommandEvent event, A argument);
}
