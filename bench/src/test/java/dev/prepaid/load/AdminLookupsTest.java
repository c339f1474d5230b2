package dev.prepaid.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdminLookupsTest {
    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anAnswerIsWholeOnlyWithItsBody() {
        final byte[] answer = ascii("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
        assertThat(AdminLookups.answerLength(answer, answer.length)).isEqualTo(answer.length);
        assertThat(AdminLookups.answerLength(answer, answer.length - 1)).isEqualTo(-1);
        assertThat(AdminLookups.answerLength(answer, 20)).isEqualTo(-1);
        assertThat(AdminLookups.statusOf(answer)).isEqualTo(200);
    }

    @Test
    void anAnswerWithoutABodyEndsWithItsHeadAndWhatFollowsIsNotCounted() {
        final byte[] two = ascii("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\nHTTP/1.1 200 OK\r\n");
        assertThat(AdminLookups.answerLength(two, two.length)).isEqualTo("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n".length());
        assertThat(AdminLookups.statusOf(two)).isEqualTo(404);
    }
}
