package dev.prepaid.payout;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a delimited file, each decoded as strict UTF-8 on its own, so that what is wrong with one line
 * (bytes that are not UTF-8, a stray CR, no line end) is said with its line number and does not hide the others.
 */
final class TextLines {
    /** Longer than any line the payout files make (about 1,400 bytes at the longest fields) or need to read. */
    static final int MAX_LINE_BYTES = 4096;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /**
     * One line.
     *
     * @param number from 1
     * @param text the line without its line end; null when it could not be read
     * @param problem why it could not be read, or null
     */
    record Line(int number, String text, String problem) {
    }

    private TextLines() {
    }

    /**
     * @param crlfOnly whether a line must end with CR LF (else LF alone is taken too)
     * @param byteOrderMark whether a UTF-8 byte order mark may start the file (it is then skipped)
     */
    static List<Line> of(final byte[] bytes, final boolean crlfOnly, final boolean byteOrderMark) {
        final List<Line> lines = new ArrayList<>();
        int start = 0;
        if (byteOrderMark && bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        int number = 0;
        while (start < bytes.length) {
            number++;
            int lf = start;
            while (lf < bytes.length && bytes[lf] != LF) {
                lf++;
            }
            final boolean ended = lf < bytes.length;
            final boolean crlf = ended && lf > start && bytes[lf - 1] == CR;
            final int end = crlf ? lf - 1 : lf;
            lines.add(line(number, bytes, start, end, ended, crlf, crlfOnly));
            start = lf + 1;
        }
        return lines;
    }

    private static Line line(final int number, final byte[] bytes, final int start, final int end, final boolean ended,
            final boolean crlf, final boolean crlfOnly) {
        if (!ended) {
            return new Line(number, null, "the file ends inside this line (it has no line end): is the file cut short?");
        }
        if (crlfOnly && !crlf) {
            return new Line(number, null, "the line ends with LF alone; lines end with CR LF");
        }
        if (end - start > MAX_LINE_BYTES) {
            return new Line(number, null, "the line is " + (end - start) + " bytes; at most " + MAX_LINE_BYTES);
        }
        for (int i = start; i < end; i++) {
            if (bytes[i] == CR) {
                return new Line(number, null, "a CR at byte " + (i - start + 1) + " that does not end the line");
            }
        }
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        final ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
        final CharBuffer out = CharBuffer.allocate(end - start);
        final CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            return new Line(number, null, "bytes that are not UTF-8 at byte " + (in.position() - start + 1)
                    + " of the line");
        }
        decoder.flush(out);
        return new Line(number, out.flip().toString(), null);
    }
}
