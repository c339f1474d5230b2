package dev.prepaid.server;

import dev.prepaid.admin.Applied;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.pipeline.CommandWriter;
import java.util.concurrent.CompletableFuture;

/**
 * An operator command submitted in process (the bootstrap, the switch's own timers): its outcome is copied off
 * the ring on the reply thread and completes a future. Admin commands are rare, so the copy and the future are
 * allowed to allocate.
 */
final class Submission extends ReplyTarget {
    static final CommandWriter<Submission> WRITER = (event, submission) -> {
        event.replyTo = submission;
        return RecordCodec.encode(submission.envelope, submission.command, event.command, 0);
    };

    final Envelope envelope;
    final AdminCommand command;
    final CompletableFuture<Applied> result = new CompletableFuture<>();

    Submission(final Envelope envelope, final AdminCommand command) {
        this.envelope = envelope;
        this.command = command;
    }

    @Override
    void onReply(final CommandEvent event, final Replies replies) {
        final Outcome copy = new Outcome();
        copy.copyFrom(event.outcome);
        result.complete(new Applied(event.journalIndex, event.timestampMillis, copy));
    }
}
