package dev.prepaid.server;

import dev.prepaid.command.ResponseCode;
import dev.prepaid.config.ServerSettings;
import dev.prepaid.iso8583.Dialect;
import dev.prepaid.iso8583.IsoDescriber;
import dev.prepaid.iso8583.IsoMessage;
import dev.prepaid.iso8583.IsoWriter;
import dev.prepaid.iso8583.Transaction;
import dev.prepaid.iso8583.TransactionTable;
import dev.prepaid.pipeline.CommandWriter;
import dev.prepaid.pipeline.CommandRing;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.StoredKeys;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminals over TCP: 2-byte length framing with a maximum and minimum frame, a connection limit and an
 * optional address allow-list, an idle timeout, a deadline for a frame that trickles in, and one request in
 * flight per connection. Each request is decoded, recognised and checked on its I/O thread and becomes a
 * command on the ring; its reply is written back by the reply stage. A protocol error closes only that
 * connection.
 */
public final class PosServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PosServer.class);
    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("connection");

    /** What the server needs to know from configuration. */
    record Options(ServerSettings server, int ioThreads, String acquirerId, String cardOrganisation, ZoneId zone) {
    }

    private final Options options;
    private final Dialect dialect;
    private final TransactionTable table;
    private final CommandRing pipeline;
    private final Directory directory;
    private final Sessions sessions;
    private final StoredKeys keys;
    private final DesKey pinVerificationKey;
    private final SwitchMetrics metrics;
    private final FastThreadLocal<IoContext> contexts;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    /** The I/O threads were given (the IO_THREAD layout: the pipeline runs on them too), so they outlive this server. */
    private final EventLoopGroup givenWorkers;
    /** Every terminal connection open now, so a close ends them even on I/O threads this server does not own. */
    private final io.netty.channel.group.ChannelGroup open =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    PosServer(final Options options, final Dialect dialect, final CommandRing pipeline, final Directory directory,
            final Sessions sessions, final StoredKeys keys, final DesKey pinVerificationKey, final SwitchMetrics metrics) {
        this(options, dialect, pipeline, directory, sessions, keys, pinVerificationKey, metrics, null);
    }

    /** @param ioThreads the I/O threads to serve on, owned by the caller (null: the server makes its own) */
    PosServer(final Options options, final Dialect dialect, final CommandRing pipeline, final Directory directory,
            final Sessions sessions, final StoredKeys keys, final DesKey pinVerificationKey, final SwitchMetrics metrics,
            final EventLoopGroup ioThreads) {
        this.givenWorkers = ioThreads;
        this.options = options;
        this.dialect = dialect;
        this.table = dialect.transactions();
        this.pipeline = pipeline;
        this.directory = directory;
        this.sessions = sessions;
        this.keys = keys;
        this.pinVerificationKey = pinVerificationKey;
        this.metrics = metrics;
        this.contexts = new FastThreadLocal<>() {
            @Override
            protected IoContext initialValue() {
                return new IoContext();
            }
        };
    }

    /** Binds the port; a port in use is one clear line. */
    public PosServer start() {
        boss = ioThreads(1);
        workers = givenWorkers != null ? givenWorkers : ioThreads(options.ioThreads());
        final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A terminal that stops reading: past 32 KiB of unread answers its connection stops being read
                // (so it cannot make more), and resumes below 8 KiB. Memory per connection stays bounded.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 * 1024, 32 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel channel) {
                        // The idle handler fires its event towards the handlers after it: the gate, which closes.
                        channel.pipeline().addLast("idle", new IdleStateHandler(options.server().idleTimeoutSeconds(), 0, 0))
                                .addLast("gate", new Gate())
                                .addLast("frames", new FrameDecoder())
                                .addLast("requests", new RequestHandler());
                    }
                });
        try {
            serverChannel = bootstrap.bind(options.server().host(), options.server().port()).syncUninterruptibly().channel();
        } catch (final Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + options.server().host() + ":" + options.server().port() + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        LOG.info("POS server listening on {} ({} I/O threads, {})", serverChannel.localAddress(), options.ioThreads(),
                Epoll.isAvailable() ? "epoll" : "nio");
        return this;
    }

    /** Netty event loops on epoll where the machine has it, else NIO. */
    static EventLoopGroup ioThreads(final int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlers());
    }

    /** As {@link #ioThreads(int)}, the threads' names beginning with {@code name} (a profile and a test find them). */
    static EventLoopGroup ioThreads(final int threads, final String name) {
        return new MultiThreadIoEventLoopGroup(threads, new io.netty.util.concurrent.DefaultThreadFactory(name),
                ioHandlers());
    }

    private static IoHandlerFactory ioHandlers() {
        return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** The bound port (useful with port 0 in tests). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        open.close().syncUninterruptibly();
        if (workers != null && workers != givenWorkers) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ------------------------------------------------------------------ per I/O thread

    /** What one I/O thread reuses for every request it reads. */
    private final class IoContext {
        final RequestReader reader = new RequestReader(dialect, table, directory, sessions, keys, pinVerificationKey);
        final ResponseWriter writer = new ResponseWriter(dialect, options.acquirerId(), options.cardOrganisation(),
                options.zone());
        final ResponseWriter.Answer answer = new ResponseWriter.Answer();
        final byte[] frame = new byte[dialect.maxFrameLength];
        final UnsafeBuffer frameBuffer = new UnsafeBuffer(frame);
        /** The length of the frame the decoder just copied into {@link #frame}, for the handler it fires next. */
        int frameLength;
        final IsoMessage message = new IsoMessage(dialect);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[dev.prepaid.command.PosRequest.LENGTH]);
        int commandLength;
        Connection connection;
        final byte[] reply = new byte[dialect.maxFrameLength];
        final UnsafeBuffer replyBuffer = new UnsafeBuffer(reply);
        final IsoWriter bare = new IsoWriter(dialect);
        final byte[] mac = new byte[8];
        final UnsafeBuffer macBuffer = new UnsafeBuffer(mac);
        final StringBuilder description = new StringBuilder(512);
    }

    private static final CommandWriter<IoContext> PUBLISH = (event, io) -> {
        event.command.putBytes(0, io.command, 0, io.commandLength);
        event.replyTo = io.connection;
        event.receivedNanos = io.connection.receivedNanos;
        return io.commandLength;
    };

    // ------------------------------------------------------------------ handlers

    /** Connection limit and allow-list, checked when a connection opens. */
    private final class Gate extends ChannelInboundHandlerAdapter {
        private boolean counted;

        @Override
        public void channelActive(final ChannelHandlerContext ctx) throws Exception {
            final InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            if (!options.server().allows(remote.getAddress())) {
                metrics.connectionsRefused.incrementAndGet();
                LOG.warn("connection from {} refused: not in the allow-list", remote.getAddress().getHostAddress());
                ctx.close();
                return;
            }
            if (metrics.connections.incrementAndGet() > options.server().maxConnections()) {
                metrics.connections.decrementAndGet();
                metrics.connectionsRefused.incrementAndGet();
                LOG.warn("connection from {} refused: {} connections is the limit", remote.getAddress().getHostAddress(),
                        options.server().maxConnections());
                ctx.close();
                return;
            }
            counted = true;
            open.add(ctx.channel());
            ctx.channel().attr(CONNECTION).set(new Connection(ctx.channel(), dialect));
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
            if (counted) {
                metrics.connections.decrementAndGet();
                counted = false;
            }
            super.channelInactive(ctx);
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception {
            final boolean writable = ctx.channel().isWritable();
            if (!writable) {
                metrics.slowReaders.incrementAndGet();
                LOG.warn("connection from {} does not read its answers: not reading its requests until it does",
                        ctx.channel().remoteAddress());
            }
            ctx.channel().config().setAutoRead(writable);
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception {
            if (event instanceof IdleStateEvent && ((IdleStateEvent) event).state() == IdleState.READER_IDLE) {
                LOG.info("connection from {} closed: idle for {} s", ctx.channel().remoteAddress(), options.server().idleTimeoutSeconds());
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            if (!ctx.channel().isActive()) {
                // Answers still queued for a connection that is gone fail one by one: one line is enough.
                LOG.debug("connection from {} already closed: {}", ctx.channel().remoteAddress(), cause.toString());
                return;
            }
            LOG.warn("connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * 2-byte big-endian length, then the frame body. A length over the maximum or under the smallest frame
     * closes the connection before anything is read; a frame that is not complete within the deadline does too.
     */
    /** What the frame decoder passes on: the frame itself is in the I/O thread's {@link IoContext}. */
    private static final Object FRAME = new Object();

    private final class FrameDecoder extends ByteToMessageDecoder {
        private ScheduledFuture<?> deadline;

        /**
         * One frame a call: its body is copied into this I/O thread's {@link IoContext} and {@link #FRAME} passed on,
         * which the decoder fires to the request handler before it calls here again for the next frame (no buffer
         * slice per request: the copy was made anyway).
         */
        @Override
        protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
            if (in.readableBytes() < 2) {
                armDeadline(ctx);
                return;
            }
            final int length = in.getUnsignedShort(in.readerIndex());
            if (length > options.server().maxFrameBytes() || length < dialect.minFrameLength) {
                protocolError(ctx, "frame length " + length + " outside " + dialect.minFrameLength + ".."
                        + options.server().maxFrameBytes());
                in.skipBytes(in.readableBytes());
                return;
            }
            if (in.readableBytes() < 2 + length) {
                armDeadline(ctx);
                return;
            }
            cancelDeadline();
            in.skipBytes(2);
            final IoContext io = contexts.get();
            in.readBytes(io.frame, 0, length);
            io.frameLength = length;
            out.add(FRAME);
        }

        private void armDeadline(final ChannelHandlerContext ctx) {
            if (deadline == null) {
                deadline = ctx.executor().schedule(() -> frameOverdue(ctx), options.server().frameDeadlineMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }

        private void frameOverdue(final ChannelHandlerContext ctx) {
            deadline = null;
            if (!ctx.channel().config().isAutoRead()) {
                // Reading is paused because the terminal does not read its answers: the rest of the frame may
                // well have arrived and wait in the socket. The deadline counts again once reading resumes.
                armDeadline(ctx);
                return;
            }
            protocolError(ctx, "frame not complete within " + options.server().frameDeadlineMillis() + " ms");
        }

        private void cancelDeadline() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        @Override
        public void handlerRemoved0(final ChannelHandlerContext ctx) {
            cancelDeadline();
        }
    }

    private void protocolError(final ChannelHandlerContext ctx, final String what) {
        if (ctx.channel().isActive()) {
            metrics.protocolErrors.incrementAndGet();
            LOG.warn("connection from {} closed: {}", ctx.channel().remoteAddress(), what);
            ctx.close();
        }
    }

    /** One frame: decode, recognise, check, and publish — or answer at once. */
    private final class RequestHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            if (msg != FRAME) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            final IoContext io = contexts.get();
            final int length = io.frameLength;
            final Connection connection = ctx.channel().attr(CONNECTION).get();
            if (connection == null) {
                return;
            }
            handle(ctx, io, connection, length);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            LOG.warn("connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private void handle(final ChannelHandlerContext ctx, final IoContext io, final Connection connection, final int length) {
        final long received = System.nanoTime();
        final IsoMessage message = io.message;
        if (!message.wrap(io.frameBuffer, 0, length)) {
            if (message.mti() < 0) {
                protocolError(ctx, "undecodable frame: " + message.error());
                return;
            }
            LOG.info("format error from {}: {}", ctx.channel().remoteAddress(), message.error());
            answerBare(connection, io, message, ResponseCode.FORMAT_ERROR);
            return;
        }
        if (LOG.isDebugEnabled()) {
            io.description.setLength(0);
            IsoDescriber.describe(message, io.description);
            LOG.debug("request from {}: {}", ctx.channel().remoteAddress(), io.description);
        }
        final Transaction transaction = table.find(message);
        if (transaction == null) {
            metrics.count(null, ResponseCode.INVALID_TRANSACTION);
            answerBare(connection, io, message, ResponseCode.INVALID_TRANSACTION);
            return;
        }
        if (connection.inFlight) {
            metrics.busyRefusals.incrementAndGet();
            // §5: a MAC for any response code, this 96 too, whenever the switch holds the terminal's MAK.
            answer(connection, io, message, transaction, ResponseCode.SYSTEM_MALFUNCTION,
                    sessions.get(message.asciiPacked(41, 0)));
            return;
        }
        final int result = io.reader.read(message, io.frame, transaction, io.command, 0);
        if (result == RequestReader.ECHO) {
            answer(connection, io, message, transaction, ResponseCode.APPROVED, null);
            metrics.count(null, ResponseCode.APPROVED);
            return;
        }
        if (result < 0) {
            final ResponseCode code = RequestReader.refusedWith(result);
            LOG.info("{} from terminal {} refused with {}: {}", transaction.name, ascii(message, 41), code.code,
                    io.reader.refusal);
            metrics.count(transaction.kind, code);
            // pos-iso8583 §5: the response carries a MAC for any response code, A0 included, whenever the switch
            // holds the terminal's MAK (without a session there is nothing to MAC with; the terminal signs on).
            answer(connection, io, message, transaction, code, sessions.get(message.asciiPacked(41, 0)));
            return;
        }
        io.commandLength = result;
        io.connection = connection;
        connection.accept(io.frame, length, transaction, message.asciiPacked(41, 0), received);
        if (!pipeline.tryPublish(PUBLISH, io)) {
            connection.inFlight = false;
            metrics.busyRefusals.incrementAndGet();
            metrics.count(transaction.kind, ResponseCode.SYSTEM_MALFUNCTION);
            answer(connection, io, message, transaction, ResponseCode.SYSTEM_MALFUNCTION, sessions.get(connection.terminalId));
        }
    }

    private void answer(final Connection connection, final IoContext io, final IsoMessage message,
            final Transaction transaction, final ResponseCode code, final Session session) {
        io.answer.set(code, null, System.currentTimeMillis());
        io.answer.session = session;
        final int length = io.writer.write(message, transaction, io.answer, io.replyBuffer);
        if (length > 0) {
            connection.writeNow(io.reply, length);
        } else {
            LOG.error("cannot encode a {} answer: {}", code.code, io.writer.error());
        }
    }

    /**
     * An answer to a request whose transaction is unknown or whose fields did not decode: MTI + 10, 11, 39, 41, 42,
     * and the MAC when requests of that MTI carry one and the switch holds the terminal's MAK (§5: any response code).
     */
    private void answerBare(final Connection connection, final IoContext io, final IsoMessage message, final ResponseCode code) {
        final IsoWriter w = io.bare.wrapResponse(io.replyBuffer, 0, io.reply.length, message, message.mti() + 10);
        // Fields in ascending order, as the writer (and the bitmap) require.
        w.copyField(message, 11).putAscii(39, code.first, code.second).copyField(message, 41).copyField(message, 42);
        final Session session = message.has(41) && table.macOn(message.mti())
                ? sessions.get(message.asciiPacked(41, 0)) : null;
        if (session != null) {
            final int macLength = w.beginMac();
            if (macLength > 0) {
                session.mac().compute(session.mak(), io.reply, w.macBlockOffset(), macLength, io.mac, 0);
                w.putMac(io.macBuffer, 0);
            }
        }
        final int length = w.finish();
        if (length > 0) {
            connection.writeNow(io.reply, length);
        } else {
            LOG.error("cannot encode a bare {} answer: {}", code.code, w.error());
        }
    }

    private static String ascii(final IsoMessage message, final int field) {
        return dev.prepaid.command.Ascii.unpack(message.asciiPacked(field, 0));
    }
}
