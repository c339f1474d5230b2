package dev.prepaid.clearing;

import dev.prepaid.state.StateReader;
import dev.prepaid.state.StateWriter;

/**
 * The payout files the switch made of an approved settlement batch (RECORD_PAYOUT_FILES): their names, their
 * SHA-256 and the creation time written into them. The time is kept so that the files made again (a lost file,
 * an export re-run) are the same bytes: the bank recognises a repeat instead of seeing a second payment.
 *
 * @param createdAtMillis the files' creation time (pain.001 {@code CreDtTm}), epoch milliseconds, whole seconds
 * @param recordedBy the operator whose approval or export made them
 */
public record ExportedFiles(long createdAtMillis, String painFile, String painSha256, String neutralFile,
        String neutralSha256, String recordedBy) {

    void writeTo(final StateWriter out) {
        out.i64(createdAtMillis);
        out.string(painFile);
        out.string(painSha256);
        out.string(neutralFile);
        out.string(neutralSha256);
        out.string(recordedBy);
    }

    static ExportedFiles readFrom(final StateReader in) {
        return new ExportedFiles(in.i64(), in.string(), in.string(), in.string(), in.string(), in.string());
    }
}
