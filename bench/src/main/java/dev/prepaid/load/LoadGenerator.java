package dev.prepaid.load;

import dev.prepaid.config.KeyNames;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoFrame;
import dev.prepaid.pos.PosTerminal;
import dev.prepaid.security.MacFunction;
import dev.prepaid.security.StoredKeys;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The terminals of a run on a few Netty event loops (epoll on Linux, NIO elsewhere): each loop owns its terminals,
 * their connections, its share of the open loop's schedule ({@link Schedule}, {@link Pacer}) and the timeouts of
 * its requests, so that loops share nothing but the measurements and the books, and ten thousand terminals need no
 * thread of their own. Loop {@code l} of {@code L} takes every {@code L}-th terminal and {@code 1/L} of the rate,
 * its slots offset by {@code l} intervals so that together they keep the rate's spacing. Driven from one thread
 * (the command's): every change is handed to the loops.
 */
final class LoadGenerator implements AutoCloseable {
    /** Where the switch is and how the run goes. */
    /** @param newShift the switch served earlier runs: each terminal settles its batch after signing on */
    record Settings(String host, int port, int eventLoops, Duration timeout, long seed, boolean closedLoop,
            boolean newShift) {
    }

    /** How many terminals of a loop sign on at once at the start. */
    private static final int SIGN_ON_WINDOW = 64;
    private static final long SCAN_MILLIS = 100;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private enum Mode { STARTING, RUNNING, CLEANING, ENDED }

    private final Settings settings;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final InetSocketAddress address;
    private final int maxFrame;
    private final List<Loop> loops = new ArrayList<>();
    private final Measurements measurements;
    private final LongAdder reversalsGivenUp = new LongAdder();

    LoadGenerator(final Dialect dialect, final Population population, final StoredKeys keys, final Mix mix,
            final Books books, final Measurements measurements, final Settings settings) {
        this.settings = settings;
        this.measurements = measurements;
        final int loopCount = Math.max(1, Math.min(settings.eventLoops(), population.terminals().size()));
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(loopCount, new DefaultThreadFactory("load-loop", true), io);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.address = new InetSocketAddress(settings.host(), settings.port());
        this.maxFrame = dialect.maxFrameLength;
        final AtomicIntegerArray wrongPins = new AtomicIntegerArray(Math.max(1, population.cards().pinCards()));
        final var cvk = keys.cvkPair(KeyNames.cvk(population.cards().cardType()));
        final SplittableRandom seeds = new SplittableRandom(settings.seed());
        int l = 0;
        for (final EventExecutor executor : group) {
            loops.add(new Loop((EventLoop) executor, l++, new LoadContext(seeds.split(), mix, population.cards(), cvk,
                    books, measurements, wrongPins, reversalsGivenUp, settings.closedLoop())));
        }
        final List<Population.Terminal> terminals = population.terminals();
        for (int t = 0; t < terminals.size(); t++) {
            final Population.Terminal terminal = terminals.get(t);
            final PosTerminal pos = PosTerminal.builder(dialect).terminalId(terminal.id()).merchantId(terminal.merchant())
                    .tmk(keys.key(KeyNames.tmk(terminal.id()))).macAlgorithm(MacFunction.of(terminal.mac()))
                    .switchAddress(settings.host(), settings.port()).build();
            final Loop loop = loops.get(t % loops.size());
            loop.drivers.add(new TerminalDriver(loop.drivers.size(), pos, loop));
        }
        for (final Loop loop : loops) {
            loop.start();
        }
    }

    /** Event loops in use. */
    int eventLoops() {
        return loops.size();
    }

    /** Whether the loops run on epoll (else NIO). */
    boolean epoll() {
        return channelType == EpollSocketChannel.class;
    }

    /** Owed reversals the terminals gave up after {@link TerminalDriver#REVERSAL_ATTEMPTS} declines. */
    long reversalsGivenUp() {
        return reversalsGivenUp.sum();
    }

    /**
     * Connects and signs on every terminal, {@value #SIGN_ON_WINDOW} at a time per loop; the terminals that could
     * not, with the first reason, or null when all did.
     */
    String signOnAll(final Duration timeout) throws InterruptedException {
        final CountDownLatch done = new CountDownLatch(loops.size());
        for (final Loop loop : loops) {
            loop.eventLoop.execute(() -> loop.startAll(done));
        }
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return "the terminals did not all sign on within " + timeout.toSeconds() + " s";
        }
        int failed = 0;
        String first = null;
        for (final Loop loop : loops) {
            failed += loop.startFailures;
            if (first == null) {
                first = loop.firstFailure;
            }
        }
        for (final Loop loop : loops) {
            loop.eventLoop.execute(() -> loop.mode = Mode.RUNNING);
        }
        return failed == 0 ? null : failed + " terminal(s) could not sign on, e.g. " + first;
    }

    /** From {@code atNanos} on the open loop sends {@code perSecond} slots a second, of step {@code step}. */
    void rate(final long atNanos, final double perSecond, final int step) {
        final double interval = 1e9 / perSecond;
        for (final Loop loop : loops) {
            final long start = atNanos + (long) (loop.number * interval);
            loop.eventLoop.execute(() -> {
                loop.schedule.rate(start, perSecond / loops.size(), step);
                loop.armTick();
            });
        }
    }

    /** From now on the closed loop's slots belong to step {@code step}; the first call starts it. */
    void closedLoop(final int step) {
        for (final Loop loop : loops) {
            loop.eventLoop.execute(() -> {
                loop.closedStep = step;
                if (!loop.closedRunning) {
                    loop.closedRunning = true;
                    final long now = loop.now();
                    for (final TerminalDriver driver : loop.drivers) {
                        if (!driver.busy()) {
                            driver.serve(now, step);
                        }
                    }
                }
            });
        }
    }

    /** No slot is due at or after {@code atNanos}; the closed loop sends nothing more. */
    void end(final long atNanos) {
        for (final Loop loop : loops) {
            loop.eventLoop.execute(() -> {
                loop.closedRunning = false;
                loop.schedule.end(atNanos);
            });
        }
    }

    /** Slots of {@code step} due so far (the closed loop: started so far). */
    long scheduled(final int step) throws InterruptedException {
        if (settings.closedLoop()) {
            return measurements.step(step).started.sum();
        }
        long slots = 0;
        for (final long n : onEveryLoop(loop -> loop.schedule.slotsOfStep(step, loop.now()))) {
            slots += n;
        }
        return slots;
    }

    /** Waits until every slot due has been answered or has failed; false at the deadline. */
    boolean awaitIdle(final long deadlineNanos) throws InterruptedException {
        while (true) {
            boolean idle = true;
            for (final boolean loopIdle : onEveryLoop(Loop::drained)) {
                idle &= loopIdle;
            }
            if (idle) {
                return true;
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    /**
     * The run is over: every slot still waiting or in flight is recorded in its step with the time it has waited, as
     * unanswered, and forgotten.
     */
    void abandon() throws InterruptedException {
        onEveryLoop(loop -> {
            loop.abandon();
            return Boolean.TRUE;
        });
    }

    /**
     * Sends every owed reversal (signing on first where needed) until answered or given up; the cards of those still
     * owed at the deadline go into the books as uncertain. Returns how many are still owed.
     */
    int sendOwedReversals(final Books books, final Duration timeout) throws InterruptedException {
        onEveryLoop(loop -> {
            loop.mode = Mode.CLEANING;
            for (final TerminalDriver driver : loop.drivers) {
                if (driver.pos.pendingReversal() != null && !driver.busy()) {
                    driver.prepare();
                }
            }
            return Boolean.TRUE;
        });
        awaitIdle(System.nanoTime() + timeout.toNanos());
        int owed = 0;
        for (final List<Integer> cards : onEveryLoop(loop -> {
            final List<Integer> uncertain = new ArrayList<>();
            loop.mode = Mode.ENDED;
            for (final TerminalDriver driver : loop.drivers) {
                if (driver.pos.pendingReversal() != null) {
                    uncertain.add(driver.owedCard());
                }
            }
            return uncertain;
        })) {
            for (final int card : cards) {
                owed++;
                if (card >= 0) {
                    books.uncertain(card);
                }
            }
        }
        return owed;
    }

    private <T> List<T> onEveryLoop(final Function<Loop, T> task) throws InterruptedException {
        final List<Future<T>> futures = new ArrayList<>();
        for (final Loop loop : loops) {
            futures.add(loop.eventLoop.submit(() -> task.apply(loop)));
        }
        final List<T> results = new ArrayList<>();
        for (final Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (final ExecutionException e) {
                throw new IllegalStateException("an event loop failed: " + e.getCause(), e.getCause());
            }
        }
        return results;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            onEveryLoop(loop -> {
                loop.mode = Mode.ENDED;
                loop.drivers.forEach(TerminalDriver::close);
                return Boolean.TRUE;
            });
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /** One event loop and its terminals. Everything in it runs on the loop's thread. */
    private final class Loop implements TerminalDriver.Loop, Pacer.Terminals {
        final EventLoop eventLoop;
        final int number;
        final LoadContext context;
        final List<TerminalDriver> drivers = new ArrayList<>();
        final Schedule schedule = new Schedule();
        final byte[] scratch = new byte[maxFrame];
        Pacer pacer;
        Mode mode = Mode.STARTING;
        boolean closedRunning;
        int closedStep = Schedule.UNMEASURED;
        private long tickGeneration;
        private boolean tickArmed;
        private int nextToStart;
        private int started;
        int startFailures;
        String firstFailure;
        private CountDownLatch startDone;

        Loop(final EventLoop eventLoop, final int number, final LoadContext context) {
            this.eventLoop = eventLoop;
            this.number = number;
            this.context = context;
        }

        void start() {
            pacer = new Pacer(schedule, Math.max(1, drivers.size()), this);
            eventLoop.scheduleAtFixedRate(this::scan, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void scan() {
            final long now = now();
            for (final TerminalDriver driver : drivers) {
                driver.checkTimeout(now);
            }
        }

        void startAll(final CountDownLatch done) {
            startDone = done;
            if (drivers.isEmpty()) {
                done.countDown();
                return;
            }
            while (nextToStart < drivers.size() && nextToStart < SIGN_ON_WINDOW) {
                startOne(drivers.get(nextToStart++));
            }
        }

        private void startOne(final TerminalDriver driver) {
            if (settings.newShift()) {
                driver.newShift();
            } else {
                driver.prepare();
            }
        }

        /** Arms the pacer's next tick at the next slot's due time (a new tick replaces an armed one). */
        void armTick() {
            final long generation = ++tickGeneration;
            tickArmed = false;
            scheduleTick(generation);
        }

        private void scheduleTick(final long generation) {
            final long due = pacer.nextDueNanos();
            if (due == Long.MAX_VALUE || tickArmed) {
                return;
            }
            tickArmed = true;
            final long delay = due - now();
            final Runnable tick = () -> {
                if (generation != tickGeneration) {
                    return;
                }
                tickArmed = false;
                if (mode == Mode.RUNNING) {
                    pacer.tick(now());
                }
                scheduleTick(generation);
            };
            if (delay <= 0) {
                eventLoop.execute(tick);
            } else {
                eventLoop.schedule(tick, delay, TimeUnit.NANOSECONDS);
            }
        }

        /** Whether every slot due has been answered or has failed. */
        boolean drained() {
            for (final TerminalDriver driver : drivers) {
                if (driver.busy()) {
                    return false;
                }
            }
            if (closedRunning) {
                return false;
            }
            return settings.closedLoop() || pacer.waiting() == 0 && pacer.dealt() >= schedule.endSlot();
        }

        void abandon() {
            mode = Mode.ENDED;
            closedRunning = false;
            final long now = now();
            for (final TerminalDriver driver : drivers) {
                pacer.forEachWaiting(driver.index, slot -> {
                    final int step = schedule.step(slot);
                    if (step >= 0) {
                        context.record(measurements.step(step).latency, now - schedule.due(slot));
                    }
                });
                driver.abandon(now);
            }
        }

        @Override
        public long now() {
            return System.nanoTime();
        }

        @Override
        public long timeoutNanos() {
            return settings.timeout().toNanos();
        }

        @Override
        public LoadContext context() {
            return context;
        }

        @Override
        public void connect(final TerminalDriver driver) {
            final ChannelFuture connecting = new Bootstrap().group(eventLoop).channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel channel) {
                            channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(IsoFrame.LENGTH_BYTES + maxFrame,
                                    0, IsoFrame.LENGTH_BYTES, 0, IsoFrame.LENGTH_BYTES), new Frames(driver, scratch));
                        }
                    }).connect(address);
            connecting.addListener(f -> {
                if (f.isSuccess()) {
                    driver.connected(connecting.channel());
                } else {
                    driver.connectFailed(String.valueOf(f.cause().getMessage()));
                }
            });
        }

        @Override
        public void idle(final TerminalDriver driver) {
            switch (mode) {
                case STARTING -> {
                    if (!driver.pos.signedOn()) {
                        startFailures++;
                        if (firstFailure == null) {
                            firstFailure = "terminal " + driver.pos.terminalId() + " did not sign on";
                        }
                    }
                    if (nextToStart < drivers.size()) {
                        startOne(drivers.get(nextToStart++));
                    }
                    if (++started == drivers.size()) {
                        startDone.countDown();
                    }
                }
                case RUNNING -> {
                    if (closedRunning) {
                        driver.serve(now(), closedStep);
                    } else {
                        pacer.idle(driver.index);
                    }
                }
                default -> {
                    // cleaning up or ended: nothing more to send
                }
            }
        }

        @Override
        public boolean busy(final int t) {
            return drivers.get(t).busy();
        }

        @Override
        public void send(final int t, final long slot, final long dueNanos, final int step) {
            drivers.get(t).serve(dueNanos, step);
        }
    }

    /** Hands each frame body of a terminal's connection to its driver; tells it when the connection is gone. */
    private static final class Frames extends ChannelInboundHandlerAdapter {
        private final TerminalDriver driver;
        private final byte[] scratch;

        Frames(final TerminalDriver driver, final byte[] scratch) {
            this.driver = driver;
            this.scratch = scratch;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object message) {
            final ByteBuf body = (ByteBuf) message;
            try {
                final int length = Math.min(body.readableBytes(), scratch.length);
                body.getBytes(body.readerIndex(), scratch, 0, length);
                driver.frame(ctx.channel(), scratch, length);
            } finally {
                body.release();
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) {
            driver.disconnected(ctx.channel());
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            ctx.close(); // a frame too long or a broken connection: channelInactive tells the driver
        }
    }
}
