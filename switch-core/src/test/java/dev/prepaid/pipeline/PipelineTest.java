package dev.prepaid.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.CommandHeader;
import dev.prepaid.command.CommandType;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PipelineTest {
    private Pipeline pipeline;

    @AfterEach
    void tearDown() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (io != null) {
            io.shutdownNow();
        }
    }

    /** The stages of IO_THREAD run on the executor a server gives: here a thread of the test's, as an event loop is. */
    private java.util.concurrent.ExecutorService io;

    private void start(final StageLayout layout) {
        if (layout == StageLayout.IO_THREAD) {
            io = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "io-loop"));
            pipeline.runOn(io);
        }
        pipeline.start();
    }

    private static int writeCutover(final CommandEvent event, final Integer date) {
        return RecordCodec.encode(new Envelope("system", 0, "test", ""), new AdminCommand.Cutover(date), event.command, 0);
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void everyReplyComesAfterItsCommandIsJournaledAndApplied(final StageLayout layout) throws Exception {
        final java.util.Set<Long> journaled = ConcurrentHashMap.newKeySet();
        final ConcurrentHashMap<Long, String> replies = new ConcurrentHashMap<>();
        final CountDownLatch done = new CountDownLatch(100);
        final JournalStage journal = new JournalStage() {
            private long next = 1;

            @Override
            public void append(final CommandEvent event, final boolean endOfBatch) {
                event.journalIndex = next++;
                event.timestampMillis = 1_000 + event.journalIndex;
                journaled.add(event.journalIndex);
            }
        };
        final ReplyStage reply = (event, endOfBatch) -> {
            if (!journaled.contains(event.journalIndex)) {
                throw new AssertionError("reply for " + event.journalIndex + " before it was journaled");
            }
            replies.put(event.correlation, event.outcome.reason.name());
            done.countDown();
        };
        pipeline = new Pipeline(new PipelineConfig(64, WaitStrategyName.SLEEPING, layout), journal, new Ledger(LedgerConfig.small()),
                reply, e -> { }, Thread::new);
        start(layout);
        for (int i = 0; i < 100; i++) {
            final int date = 20260101 + (i % 28);
            final long correlation = i;
            while (!pipeline.tryPublish((event, d) -> {
                event.correlation = correlation;
                return writeCutover(event, d);
            }, date)) {
                assertThat(pipeline.failure()).isNull();
                Thread.onSpinWait();
            }
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(replies).hasSize(100);
        // The first cut-over opens a day; each later one must move forward, so only rising dates pass.
        assertThat(replies.get(0L)).isEqualTo(Reason.APPROVED.name());
        assertThat(replies.get(28L)).isEqualTo(Reason.BUSINESS_DATE_NOT_LATER.name());
        assertThat(pipeline.failure()).isNull();
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void aFailingStageStopsEverythingAfterIt(final StageLayout layout) throws Exception {
        final AtomicReference<Throwable> fatal = new AtomicReference<>();
        final CountDownLatch failed = new CountDownLatch(1);
        final List<Long> replied = Collections.synchronizedList(new ArrayList<>());
        final JournalStage journal = new JournalStage() {
            private long next = 1;

            @Override
            public void append(final CommandEvent event, final boolean endOfBatch) throws Exception {
                if (next == 4) {
                    throw new java.io.IOException("disk full");
                }
                event.journalIndex = next++;
            }
        };
        pipeline = new Pipeline(new PipelineConfig(16, WaitStrategyName.BLOCKING, layout), journal, new Ledger(LedgerConfig.small()),
                (event, end) -> replied.add(event.journalIndex), e -> {
                    fatal.set(e);
                    failed.countDown();
                }, Thread::new);
        start(layout);
        for (int i = 0; i < 6; i++) {
            pipeline.tryPublish(PipelineTest::writeCutover, 20260101 + i);
        }
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fatal.get()).hasMessage("disk full");
        assertThat(pipeline.failure()).isSameAs(fatal.get());
        assertThat(pipeline.failedStage()).isEqualTo(Stage.JOURNAL);
        assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20270101)).isFalse();
        // Replies released before the failure are the three journaled commands at most, never a later one.
        assertThat(replied).allMatch(index -> index <= 3);
    }

    /**
     * A query goes through the ring in its turn — it sees every command published before it — and is never
     * journaled; the reply stage is handed it with the query as its target.
     */
    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void aQueryIsAnsweredInItsTurnAndNotJournaled(final StageLayout layout) throws Exception {
        final List<Long> journaled = Collections.synchronizedList(new ArrayList<>());
        final List<Object> repliedTo = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch answered = new CountDownLatch(1);
        final JournalStage journal = new JournalStage() {
            private long next = 1;

            @Override
            public void append(final CommandEvent event, final boolean endOfBatch) {
                if (!event.skip) {
                    event.journalIndex = next++;
                    journaled.add(event.journalIndex);
                }
            }
        };
        pipeline = new Pipeline(new PipelineConfig(16, WaitStrategyName.BLOCKING, layout), journal, new Ledger(LedgerConfig.small()),
                (event, end) -> {
                    repliedTo.add(event.replyTo);
                    if (event.query != null) {
                        answered.countDown();
                    }
                }, e -> { }, Thread::new);
        start(layout);
        final int[] seenDate = new int[1];
        final LedgerQuery query = state -> seenDate[0] = state.businessDate();
        assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20260105)).isTrue();
        assertThat(pipeline.tryQuery(query)).isTrue();
        assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seenDate[0]).as("the query saw the cut-over published before it").isEqualTo(20260105);
        assertThat(journaled).containsExactly(1L);
        assertThat(repliedTo).hasSize(2).last().isSameAs(query);
    }

    /** Operator and system commands and reads are timed by what they hold the ledger for; POS commands are not. */
    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void theHoldWatchTimesEverythingButPosCommands(final StageLayout layout) throws Exception {
        final List<Integer> timed = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch replied = new CountDownLatch(3);
        final JournalStage journal = new JournalStage() {
            private long next = 1;

            @Override
            public void append(final CommandEvent event, final boolean endOfBatch) {
                if (!event.skip) {
                    event.journalIndex = next++;
                }
            }
        };
        final LedgerHoldWatch watch = new LedgerHoldWatch() {
            private long now;

            @Override
            public long nanoTime() {
                return now += 1_000;
            }

            @Override
            public void held(final int commandType, final long nanos) {
                assertThat(nanos).isEqualTo(1_000);
                timed.add(commandType);
            }
        };
        pipeline = new Pipeline(new PipelineConfig(16, WaitStrategyName.PHASED, layout), journal, new Ledger(LedgerConfig.small()),
                (event, end) -> replied.countDown(), e -> { }, Thread::new, watch);
        start(layout);
        assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20260105)).isTrue();
        assertThat(pipeline.tryPublish((event, ignored) -> {
            CommandHeader.write(event.command, 0, PosRequest.TYPE, PosRequest.VERSION);
            return PosRequest.LENGTH; // a request from no known terminal: declined, and not timed
        }, null)).isTrue();
        assertThat(pipeline.tryQuery(state -> { })).isTrue();
        assertThat(replied.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(timed).containsExactly(CommandType.CUTOVER.code, LedgerHoldWatch.READ);
        assertThat(pipeline.failure()).isNull();
    }

    @Test
    void eachStageRunsOnAThreadNamedForIt() throws Exception {
        final java.util.Map<String, String> threads = new ConcurrentHashMap<>();
        final CountDownLatch replied = new CountDownLatch(1);
        final JournalStage journal = (event, endOfBatch) -> {
            event.journalIndex = 1;
            threads.put("journal", Thread.currentThread().getName());
        };
        final ReplyStage reply = (event, endOfBatch) -> {
            threads.put("reply", Thread.currentThread().getName());
            replied.countDown();
        };
        pipeline = new Pipeline(new PipelineConfig(16, WaitStrategyName.BLOCKING), journal, new Ledger(LedgerConfig.small()),
                reply, e -> { }, runnable -> new Thread(runnable, "from-the-factory"));
        pipeline.start();
        assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20260101)).isTrue();
        assertThat(replied.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).containsEntry("journal", "prepaid-journal").containsEntry("reply", "prepaid-reply");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("prepaid-ledger");
        assertThat(pipeline.failedStage()).isNull();
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void aFullRingRefusesInsteadOfQueueing(final StageLayout layout) throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
        final JournalStage blocked = (event, endOfBatch) -> {
            entered.countDown();
            release.await();
            event.journalIndex = sequence.incrementAndGet();
        };
        pipeline = new Pipeline(new PipelineConfig(4, WaitStrategyName.BLOCKING, layout), blocked, new Ledger(LedgerConfig.small()),
                ReplyStage.NONE, e -> { }, Thread::new);
        start(layout);
        try {
            assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20260101)).isTrue();
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            int accepted = 0;
            while (accepted <= 4 && pipeline.tryPublish(PipelineTest::writeCutover, 20260102)) {
                accepted++;
            }
            // One slot is held by the journal stage, so three more fit in a ring of four.
            assertThat(accepted).isEqualTo(3);
            assertThat(pipeline.remainingCapacity()).isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void oneThreadRunsEveryStageOnAThreadNamedForThePipeline() throws Exception {
        final java.util.Map<String, String> threads = new ConcurrentHashMap<>();
        final CountDownLatch replied = new CountDownLatch(1);
        final JournalStage journal = (event, endOfBatch) -> {
            event.journalIndex = 1;
            threads.put("journal", Thread.currentThread().getName());
        };
        final ReplyStage reply = (event, endOfBatch) -> {
            threads.put("reply", Thread.currentThread().getName());
            replied.countDown();
        };
        pipeline = new Pipeline(new PipelineConfig(16, WaitStrategyName.BLOCKING, StageLayout.ONE_THREAD), journal,
                new Ledger(LedgerConfig.small()), reply, e -> { }, Thread::new);
        pipeline.start();
        assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20260101)).isTrue();
        assertThat(replied.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).containsEntry("journal", StageLayout.ONE_THREAD_NAME)
                .containsEntry("reply", StageLayout.ONE_THREAD_NAME);
    }

    /**
     * On one thread, the journal is told "end of batch" (SYNC forces to disk there) at least every
     * {@link Pipeline#MAX_GROUP} commands, and no command is applied or answered before the end of its group.
     */
    @Test
    void oneThreadAnswersAGroupOnlyAfterItsJournalBatchEnds() throws Exception {
        final int commands = 1_000;
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(commands);
        final long[] durableUpTo = new long[1];
        final List<Long> groupSizes = Collections.synchronizedList(new ArrayList<>());
        final List<String> early = Collections.synchronizedList(new ArrayList<>());
        final JournalStage journal = new JournalStage() {
            private long next = 1;
            private long group;

            @Override
            public void append(final CommandEvent event, final boolean endOfBatch) throws Exception {
                release.await(); // the first command waits, so the rest pile up into full groups
                event.journalIndex = next++;
                group++;
                if (endOfBatch) {
                    durableUpTo[0] = event.journalIndex;
                    groupSizes.add(group);
                    group = 0;
                }
            }
        };
        final ReplyStage reply = (event, endOfBatch) -> {
            if (event.journalIndex > durableUpTo[0]) {
                early.add("command " + event.journalIndex + " answered before its group was forced (" + durableUpTo[0] + ")");
            }
            done.countDown();
        };
        pipeline = new Pipeline(new PipelineConfig(2048, WaitStrategyName.PHASED, StageLayout.ONE_THREAD), journal,
                new Ledger(LedgerConfig.small()), reply, e -> { }, Thread::new);
        pipeline.start();
        for (int i = 0; i < commands; i++) {
            assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20260101)).isTrue();
        }
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(early).isEmpty();
        assertThat(groupSizes).allMatch(size -> size <= Pipeline.MAX_GROUP);
        assertThat(groupSizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(commands);
        assertThat(groupSizes).as("the backlog was journaled in full groups, not one command at a time")
                .contains((long) Pipeline.MAX_GROUP);
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"LEDGER", "REPLY"})
    void oneThreadNamesTheStageThatFailed(final Stage failing) throws Exception {
        final CountDownLatch failed = new CountDownLatch(1);
        // The ledger refuses a journal sequence that does not rise: a journal that stamps every command 1 fails the
        // ledger stage at the second command.
        final JournalStage sameIndex = (event, endOfBatch) -> event.journalIndex = 1;
        final long[] next = {1};
        final JournalStage rising = (event, endOfBatch) -> event.journalIndex = next[0]++;
        final ReplyStage reply = (event, endOfBatch) -> {
            if (failing == Stage.REPLY) {
                throw new IllegalStateException("connection table broken");
            }
        };
        pipeline = new Pipeline(new PipelineConfig(16, WaitStrategyName.BLOCKING, StageLayout.ONE_THREAD),
                failing == Stage.LEDGER ? sameIndex : rising, new Ledger(LedgerConfig.small()), reply,
                e -> failed.countDown(), Thread::new);
        pipeline.start();
        assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20260101)).isTrue();
        if (failing == Stage.LEDGER) {
            // The first reply fails the REPLY case at once (publishing is refused from then on); the ledger fails at
            // the second command, which is published before anything has failed.
            assertThat(pipeline.tryPublish(PipelineTest::writeCutover, 20260102)).isTrue();
        }
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pipeline.failedStage()).isEqualTo(failing);
    }

    @Test
    void configurationIsChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PipelineConfig(1000, WaitStrategyName.BLOCKING))
                .hasMessageContaining("power of two");
    }
}
