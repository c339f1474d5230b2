package dev.prepaid.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.prepaid.config.AdminSettings;
import dev.prepaid.config.ConfigException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP/1.1 + JSON endpoint on its own port and its own single event-loop thread, so POS traffic
 * keeps its latency while operators work. Limits keep a slow or hostile client from holding it: connections at
 * once, header and body size, requests per second per address, and an idle timeout that also closes a
 * connection stuck half-way through a request. One request per connection is in flight at a time (the next is
 * not read before the answer is written), which keeps answers in order and bounds what one client can queue.
 *
 * <p>Nothing of a request's body, its token or its password is logged.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_REQUEST_LINE = 4096;
    /** Addresses whose buckets are remembered; above it the table starts afresh (a flood from many addresses). */
    private static final int MAX_TRACKED_ADDRESSES = 10_000;

    private final AdminSettings settings;
    private final AdminRoutes routes;
    private final SslContext ssl;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<InetAddress, Bucket> buckets = new HashMap<>();
    private EventLoopGroup group;
    private Channel server;

    public AdminServer(final AdminSettings settings, final AdminRoutes routes) {
        this.settings = settings;
        this.routes = routes;
        this.ssl = settings.tls() ? sslContext(settings) : null;
    }

    private static SslContext sslContext(final AdminSettings settings) {
        try {
            return SslContextBuilder.forServer(settings.tlsCertificate().toFile(), settings.tlsPrivateKey().toFile())
                    .protocols("TLSv1.3", "TLSv1.2").build();
        } catch (final Exception e) {
            throw new ConfigException("admin.tls: cannot use " + settings.tlsCertificate() + " and "
                    + settings.tlsPrivateKey() + " (a PEM certificate chain and an unencrypted PKCS#8 PEM key): "
                    + e.getMessage(), e);
        }
    }

    /** Listens; a port that cannot be bound is a start problem. */
    public void start() {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("prepaid-admin", true),
                NioIoHandler.newFactory());
        final AdminSettings.AdminLimits limits = settings.limits();
        final ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel channel) {
                        if (connections.incrementAndGet() > limits.maxConnections()) {
                            connections.decrementAndGet();
                            channel.close();
                            return;
                        }
                        channel.closeFuture().addListener(f -> connections.decrementAndGet());
                        final ChannelPipeline p = channel.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(channel.alloc()));
                        }
                        p.addLast(new IdleStateHandler(limits.idleSeconds(), 0, 0, TimeUnit.SECONDS));
                        p.addLast(new HttpServerCodec(MAX_REQUEST_LINE, limits.maxHeaderBytes(), 8192));
                        p.addLast(new HttpObjectAggregator(limits.maxBodyBytes()));
                        p.addLast(new Handler());
                    }
                });
        try {
            server = bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
        } catch (final RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new ConfigException("admin.port: cannot listen on " + settings.host() + " port " + settings.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Open connections (for system status). */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** A token bucket: {@code requestsPerSecond} sustained, bursts of twice as many. Event-loop thread only. */
    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private boolean allow(final InetAddress address) {
        final int rate = settings.limits().requestsPerSecond();
        if (buckets.size() > MAX_TRACKED_ADDRESSES) {
            buckets.clear();
        }
        final long now = System.nanoTime();
        final Bucket bucket = buckets.computeIfAbsent(address, a -> {
            final Bucket b = new Bucket();
            b.tokens = 2.0 * rate;
            b.lastNanos = now;
            return b;
        });
        bucket.tokens = Math.min(2.0 * rate, bucket.tokens + (now - bucket.lastNanos) * rate / 1e9);
        bucket.lastNanos = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    /** Pipelined requests of one connection waiting for the one in flight; more than this closes the connection. */
    private static final int MAX_PIPELINED = 8;

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        /** Event-loop thread only: whether a request of this connection is being answered, and those behind it. */
        private boolean answering;
        private final java.util.ArrayDeque<FullHttpRequest> waiting = new java.util.ArrayDeque<>();

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request) {
            if (answering) {
                // Bytes already read may hold the next request: it waits its turn, so answers keep their order.
                if (waiting.size() >= MAX_PIPELINED) {
                    ctx.close();
                    return;
                }
                waiting.add(request.retain());
                // Read no further until the queue drains (only a client that pipelines gets here).
                ctx.channel().config().setAutoRead(false);
                return;
            }
            serve(ctx, request);
        }

        private void next(final ChannelHandlerContext ctx) {
            answering = false;
            final FullHttpRequest queued = waiting.poll();
            if (queued == null) {
                if (!ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(true);
                }
                return;
            }
            try {
                serve(ctx, queued);
            } finally {
                queued.release();
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
            for (FullHttpRequest queued = waiting.poll(); queued != null; queued = waiting.poll()) {
                queued.release();
            }
            super.channelInactive(ctx);
        }

        private void serve(final ChannelHandlerContext ctx, final FullHttpRequest request) {
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                final Throwable cause = request.decoderResult().cause();
                if (cause instanceof TooLongHttpHeaderException) {
                    respond(ctx, AdminRoutes.error(new AdminError(431, "HEADERS_TOO_LARGE", "the request's headers"
                            + " are over " + settings.limits().maxHeaderBytes() + " bytes")), false);
                } else if (cause instanceof TooLongHttpLineException) {
                    respond(ctx, AdminRoutes.error(new AdminError(414, "URI_TOO_LONG", "the request line is over "
                            + MAX_REQUEST_LINE + " bytes")), false);
                } else {
                    respond(ctx, AdminRoutes.error(new AdminError(400, "BAD_HTTP", "the request is not valid HTTP/1.1: "
                            + (cause instanceof TooLongFrameException ? "too long" : String.valueOf(cause)))), false);
                }
                return;
            }
            final InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            if (!allow(remote.getAddress())) {
                respond(ctx, AdminRoutes.error(new AdminError(429, "TOO_MANY_REQUESTS", "more than "
                        + settings.limits().requestsPerSecond() + " requests a second from "
                        + remote.getAddress().getHostAddress() + "; slow down and retry")), keepAlive);
                if (!waiting.isEmpty()) {
                    answering = true;
                    ctx.executor().execute(() -> next(ctx));
                }
                return;
            }
            final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            final Map<String, String> query = new LinkedHashMap<>();
            for (final Map.Entry<String, List<String>> parameter : uri.parameters().entrySet()) {
                query.put(parameter.getKey(), parameter.getValue().get(0));
            }
            final String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            final String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).trim() : null;
            final byte[] body = ByteBufUtil.getBytes(request.content());
            final String method = request.method().name();
            final AdminRoutes.Request admin = new AdminRoutes.Request(method, uri.path(), query, token, body,
                    "admin " + remote.getAddress().getHostAddress() + ":" + remote.getPort());
            // A request that arrives before this one is answered waits its turn in `waiting`; reading stops only
            // then, so a client that waits for each answer costs no change of the socket's interest set.
            answering = true;
            routes.handle(admin).whenComplete((reply, failure) -> {
                final AdminRoutes.Reply answer = failure != null ? AdminRoutes.errorOf(failure) : reply;
                ctx.executor().execute(() -> {
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("{} {} {} from {}", method, uri.path(), answer.status(), admin.source());
                    }
                    respond(ctx, answer, keepAlive);
                    next(ctx);
                });
            });
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            LOG.debug("admin connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private void respond(final ChannelHandlerContext ctx, final AdminRoutes.Reply reply, final boolean keepAlive) {
        byte[] bytes;
        String contentType = "application/json; charset=utf-8";
        String disposition = null;
        if (reply.body() instanceof Download file) {
            bytes = file.bytes();
            contentType = file.contentType();
            disposition = "attachment; filename=\"" + file.fileName() + "\"";
        } else {
            try {
                bytes = routes.json().writeValueAsBytes(reply.body());
            } catch (final JsonProcessingException e) {
                bytes = ("{\"error\":\"INTERNAL\",\"message\":\"the answer could not be written as JSON\"}").getBytes(
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (disposition != null) {
            response.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, disposition);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
