package dev.prepaid.server;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.command.ResponseCode;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.SubField;
import dev.prepaid.pipeline.CommandEvent;
import dev.prepaid.pipeline.ReplyStage;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyLayout;
import dev.prepaid.security.MacFunction;
import dev.prepaid.security.StoredKeys;
import dev.prepaid.security.WorkingKeys;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply stage: after a command is journaled and applied, hands its outcome to whoever asked. For a
 * terminal it encodes the response (and at sign-on makes fresh working keys, sends them under the terminal's
 * TMK and installs them as the terminal's session); for approved changes to terminals or BIN ranges it
 * refreshes the I/O threads' directory.
 */
final class Replies implements ReplyStage {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private final ResponseWriter writer;
    private final ResponseWriter.Answer answer = new ResponseWriter.Answer();
    private final Sessions sessions;
    private final Directory directory;
    private final StoredKeys keys;
    private final SecureRandom random = new SecureRandom();
    private final SwitchMetrics metrics;
    private final SubField networkCode;
    private final byte[] field62 = new byte[64];

    Replies(final Dialect dialect, final ResponseWriter writer, final Sessions sessions, final Directory directory,
            final StoredKeys keys, final SwitchMetrics metrics) {
        this.writer = writer;
        this.sessions = sessions;
        this.directory = directory;
        this.keys = keys;
        this.metrics = metrics;
        this.networkCode = dialect.subField("60.3");
    }

    @Override
    public void reply(final CommandEvent event, final boolean endOfBatch) {
        final Object target = event.replyTo;
        if (target instanceof ReplyTarget) {
            ((ReplyTarget) target).onReply(event, this);
        }
        if (event.query == null && event.outcome.approved()) {
            final int type = CommandHeader.type(event.command, 0);
            if (type == CommandType.UPSERT_TERMINAL.code) {
                refreshDirectory(event);
            }
        }
    }

    private void refreshDirectory(final CommandEvent event) {
        refreshDirectory(event.command, 0, event.length);
    }

    /** After an approved UpsertTerminal (its bytes): the I/O threads' directory takes the terminal as it is now. */
    void refreshDirectory(final org.agrona.DirectBuffer buffer, final int offset, final int length) {
        final AdminCommand command = RecordCodec.decodeCommand(buffer, offset, length);
        if (command instanceof AdminCommand.UpsertTerminal) {
            final AdminCommand.UpsertTerminal t = (AdminCommand.UpsertTerminal) command;
            directory.putTerminal(new Directory.TerminalInfo(t.terminalId(), t.keyReference(),
                    MacFunction.of(t.macAlgorithm())));
        }
    }

    /** Encodes a terminal's response into its reply buffer; returns the length (0: nothing to send). */
    int encode(final Connection connection, final CommandEvent event) {
        final Outcome outcome = event.outcome;
        ResponseCode code = outcome.responseCode();
        answer.set(code, outcome, event.timestampMillis);
        final PosKind kind = connection.transaction.kind;
        if (kind == PosKind.SIGN_ON && code == ResponseCode.APPROVED) {
            if (!installWorkingKeys(connection)) {
                code = ResponseCode.SECURITY_ERROR;
                answer.code = code;
            }
        } else if (kind == PosKind.SIGN_OFF && code == ResponseCode.APPROVED) {
            sessions.remove(connection.terminalId);
        }
        if (connection.transaction.mac) {
            answer.session = sessions.get(connection.terminalId);
        }
        final int length = writer.write(connection.request, connection.transaction, answer, connection.replyBuffer);
        metrics.count(kind, code);
        metrics.latency(System.nanoTime() - connection.receivedNanos);
        if (length < 0) {
            LOG.error("cannot encode the response to {} for terminal {}: {}", kind, connection.transaction.name, writer.error());
            return 0;
        }
        return length;
    }

    /** Fresh PIK and MAK for a terminal that signed on, sent under its TMK (pos-iso8583 §8). */
    private boolean installWorkingKeys(final Connection connection) {
        final Directory.TerminalInfo terminal = directory.terminal(connection.terminalId);
        final KeyLayout layout = KeyLayout.forNetworkManagementCode((int) connection.request.subField(networkCode));
        if (terminal == null || layout == null) {
            LOG.warn("sign-on without a key layout or terminal entry: network code {}",
                    connection.request.subField(networkCode));
            return false;
        }
        final DesKey tmk = keys.find(terminal.keyReference());
        if (tmk == null) {
            LOG.error("terminal {} signed on but its TMK '{}' is not in the key file", terminal.terminalId(),
                    terminal.keyReference());
            return false;
        }
        final WorkingKeys working = WorkingKeys.generate(layout, random);
        answer.keysLength = working.writeField62(tmk, field62, 0);
        answer.keys = field62;
        sessions.put(connection.terminalId, new Session(working.pik(), working.mak(), terminal.mac()));
        return true;
    }
}
