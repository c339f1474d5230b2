package dev.prepaid.server;

import dev.prepaid.pipeline.CommandEvent;

/**
 * Where the reply stage hands an applied command's outcome: a terminal connection or an in-process waiter.
 * An abstract class, not an interface: the reply stage type-checks every event's target, and on JDK 17 a type
 * check against an interface goes through the secondary-supers cache.
 */
abstract class ReplyTarget {
    /** Called on the reply thread, after the command was journaled and applied. Must not block. */
    abstract void onReply(CommandEvent event, Replies replies);
}
