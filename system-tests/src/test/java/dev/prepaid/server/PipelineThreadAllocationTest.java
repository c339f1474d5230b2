package dev.prepaid.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.pipeline.StageLayout;
import dev.prepaid.pos.PosTerminal;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the stages on one thread (the default layout) the ledger's thread also journals and answers: it must stay as
 * free of allocation as the ledger itself, or the money's thread feeds the collector with every request. The
 * terminal's requests go over TCP through the whole switch; the pipeline thread's own allocation counter is read
 * before and after. What is allowed is Netty's task queue growing by a chunk now and then (a few bytes a request on
 * average), not an object per request.
 */
class PipelineThreadAllocationTest {
    private static final int WARM_UP = 3_000;
    private static final int MEASURED = 5_000;
    /** An object per request would be 16 bytes or more; a chunk of 1,024 task slots every 1,024 requests is ~4. */
    private static final double MAX_BYTES_PER_REQUEST = 8;

    @TempDir
    Path directory;

    @Test
    void thePipelineThreadAllocatesNextToNothingPerRequest() throws Exception {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final SwitchServer server = DemoSwitch.start(directory);
        PosTerminal terminal = null;
        try {
            terminal = DemoSwitch.terminal(server, "10000001").build();
            assertThat(terminal.signOn().responseCode()).isEqualTo("00");
            final long pipeline = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(StageLayout.ONE_THREAD_NAME)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + StageLayout.ONE_THREAD_NAME + " thread: is the demo"
                            + " configuration's pipeline.layout still ONE_THREAD?")).getId();
            final dev.prepaid.pos.Card card = DemoSwitch.manual("8888000100000033", "222222");
            for (int i = 0; i < WARM_UP; i++) {
                assertThat(terminal.balance(card).responseCode()).isEqualTo("00");
            }
            final long before = threads.getThreadAllocatedBytes(pipeline);
            for (int i = 0; i < MEASURED; i++) {
                assertThat(terminal.balance(card).responseCode()).isEqualTo("00");
            }
            final long allocated = threads.getThreadAllocatedBytes(pipeline) - before;
            assertThat((double) allocated / MEASURED).as("bytes allocated by %s per request (%d in all)",
                    StageLayout.ONE_THREAD_NAME, allocated).isLessThan(MAX_BYTES_PER_REQUEST);
        } finally {
            DemoSwitch.stop(server, terminal);
        }
    }
}
