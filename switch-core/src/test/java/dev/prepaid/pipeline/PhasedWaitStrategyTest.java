package dev.prepaid.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Reason;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhasedWaitStrategyTest {
    /** Longer than any test runs: a sleeper that wakes was woken by a signal, not by the last-resort timeout. */
    private static final long NEVER_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final PhasedWaitStrategy strategy = new PhasedWaitStrategy(10, 10, 5, NEVER_MILLIS);
    private final Barrier barrier = new Barrier();

    private CompletableFuture<Long> waitInBackground(final long sequence, final Sequence cursor, final Sequence dependent) {
        final CompletableFuture<Long> result = new CompletableFuture<>();
        final Thread waiter = new Thread(() -> {
            try {
                result.complete(strategy.waitFor(sequence, cursor, dependent, barrier));
            } catch (final Throwable e) {
                result.completeExceptionally(e);
            }
        }, "waiter");
        waiter.setDaemon(true);
        waiter.start();
        Await.until("the waiter asleep", Duration.ofSeconds(10), () -> strategy.sleepers() == 1);
        return result;
    }

    @Test
    void returnsAtOnceWhatIsAlreadyThere() throws Exception {
        final Sequence cursor = new Sequence(7);
        assertThat(strategy.waitFor(5, cursor, cursor, barrier)).isEqualTo(7);
        assertThat(strategy.sleepers()).isZero();
    }

    @Test
    void aStageAsleepBehindAnotherWakesWhenThatOneWaitsAgain() throws Exception {
        final Sequence cursor = new Sequence(10); // published long ago: no publication will signal
        final Sequence journalStage = new Sequence(4);
        final CompletableFuture<Long> ledgerStage = waitInBackground(5, cursor, journalStage);
        assertThat(ledgerStage).isNotDone();

        journalStage.set(6);
        // What the journal stage's processor does next: wait for its next command (here already published).
        assertThat(strategy.waitFor(7, cursor, cursor, barrier)).isEqualTo(10);

        assertThat(ledgerStage.get(10, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(strategy.sleepers()).isZero();
    }

    @Test
    void aPublicationWakesTheFirstStage() throws Exception {
        final Sequence cursor = new Sequence(-1);
        final CompletableFuture<Long> journalStage = waitInBackground(0, cursor, cursor);
        cursor.set(0);
        strategy.signalAllWhenBlocking(); // what the ring does on publish
        assertThat(journalStage.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    }

    @Test
    void aSignalWithoutProgressLeavesTheSleeperAsleep() throws Exception {
        final Sequence cursor = new Sequence(-1);
        final CompletableFuture<Long> journalStage = waitInBackground(0, cursor, cursor);
        strategy.signalAllWhenBlocking();
        Await.until("the waiter asleep again", Duration.ofSeconds(10), () -> strategy.sleepers() == 1);
        assertThat(journalStage).isNotDone();
        cursor.set(0);
        strategy.signalAllWhenBlocking();
        assertThat(journalStage.get(10, TimeUnit.SECONDS)).isEqualTo(0);
    }

    @Test
    void anAlertWakesASleeperToStop() {
        final Sequence cursor = new Sequence(-1);
        final CompletableFuture<Long> stage = waitInBackground(0, cursor, cursor);
        barrier.alert();
        strategy.signalAllWhenBlocking(); // what the processor's halt does
        assertThatThrownBy(() -> stage.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AlertException.class);
    }

    @Test
    void aPipelineWhoseStagesAllSleptAnswersTheNextCommand() throws Exception {
        final List<Thread> stageThreads = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<Reason> replies = new LinkedBlockingQueue<>();
        final JournalStage journal = new JournalStage() {
            private long next = 1;

            @Override
            public void append(final CommandEvent event, final boolean endOfBatch) {
                event.journalIndex = next++;
                event.timestampMillis = 1_000 + event.journalIndex;
            }
        };
        try (Pipeline pipeline = new Pipeline(new PipelineConfig(64, WaitStrategyName.PHASED), journal,
                new Ledger(LedgerConfig.small()), (event, endOfBatch) -> replies.add(event.outcome.reason), e -> { },
                runnable -> {
                    final Thread thread = new Thread(runnable);
                    stageThreads.add(thread);
                    return thread;
                })) {
            pipeline.start();
            for (int day = 1; day <= 3; day++) {
                // Past the brief parks: each stage in the sleep only a signal ends.
                Await.until("every stage asleep until signalled", Duration.ofSeconds(10), () -> stageThreads.size() == 3
                        && stageThreads.stream().allMatch(PhasedWaitStrategyTest::sleepsUntilSignalled));
                final int date = 20260100 + day;
                assertThat(pipeline.tryPublish((event, d) -> RecordCodec.encode(new Envelope("system", 0, "test", ""),
                        new AdminCommand.Cutover(d), event.command, 0), date)).isTrue();
                assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo(Reason.APPROVED);
            }
        }
    }

    private static boolean sleepsUntilSignalled(final Thread thread) {
        for (final StackTraceElement frame : thread.getStackTrace()) {
            if ("sleepUntil".equals(frame.getMethodName())
                    && PhasedWaitStrategy.class.getName().equals(frame.getClassName())) {
                return thread.getState() == Thread.State.TIMED_WAITING;
            }
        }
        return false;
    }

    @Test
    void refusesNegativePhases() {
        assertThatThrownBy(() -> new PhasedWaitStrategy(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PhasedWaitStrategy(0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PhasedWaitStrategy(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The part of a Disruptor barrier a wait strategy uses: the alert a halting processor raises. */
    private static final class Barrier implements SequenceBarrier {
        private volatile boolean alerted;

        @Override
        public long waitFor(final long sequence) {
            throw new UnsupportedOperationException("the strategy under test is called directly");
        }

        @Override
        public long getCursor() {
            throw new UnsupportedOperationException("the strategy under test is called directly");
        }

        @Override
        public boolean isAlerted() {
            return alerted;
        }

        @Override
        public void alert() {
            alerted = true;
        }

        @Override
        public void clearAlert() {
            alerted = false;
        }

        @Override
        public void checkAlert() throws AlertException {
            if (alerted) {
                throw AlertException.INSTANCE;
            }
        }
    }
}
