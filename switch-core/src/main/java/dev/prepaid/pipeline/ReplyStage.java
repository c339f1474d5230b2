package dev.prepaid.pipeline;

/**
 * The last stage: answers the requester (encode, MAC, write on the connection's loop). It runs only after
 * the command was journaled and applied. A requester that has gone away costs nothing here.
 */
public interface ReplyStage {
    void reply(CommandEvent event, boolean endOfBatch) throws Exception;

    ReplyStage NONE = (event, endOfBatch) -> { };
}
