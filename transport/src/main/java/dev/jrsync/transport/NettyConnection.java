package dev.jrsync.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Connection} over one Netty socket channel; its {@link #handler()} must be the channel's pipeline handler.
 * Thread-safety and blocking as in {@link Connection}.
 */
final class NettyConnection implements Connection {
    private final Channel channel;
    private final ChannelInput input;
    private final ChannelOutput output;
    private final Duration closeLinger;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress local;

    NettyConnection(Channel channel, TransportOptions options) {
        this.channel = channel;
        this.closeLinger = options.closeLinger();
        this.input = new ChannelInput(channel, options);
        this.output = new ChannelOutput(channel, options, future -> {
            if (!future.isSuccess()) {
                fail(future.cause());
            }
        });
    }

    /** The pipeline handler that feeds this connection's streams. */
    ChannelHandler handler() {
        return new Bridge();
    }

    Channel channel() {
        return channel;
    }

    ChannelInput channelInput() {
        return input;
    }

    ChannelOutput channelOutput() {
        return output;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        InetSocketAddress a = remote;
        return a != null ? a : (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        InetSocketAddress a = local;
        return a != null ? a : (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("read timeout: " + timeout + " (expected: >= 0)");
        }
        long nanos = timeout.isZero() ? 0 : Math.max(1, saturatedNanos(timeout));
        input.setTimeoutNanos(nanos);
        output.setTimeoutNanos(nanos);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        input.close();
        output.closeLocally();
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        // Like a kernel socket close: what was flushed still goes out, but a peer that never reads cannot hold
        // the channel open past the linger.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        try {
            var force = channel.eventLoop().schedule(() -> {
                channel.close();
            }, closeLinger.toMillis(), TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(f -> force.cancel(false));
        } catch (RejectedExecutionException e) {
            channel.close();
        }
    }

    @Override
    public void reset() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        input.close();
        output.closeLocally();
        try {
            channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // Not a socket (tests) or already gone: a plain close will do.
        }
        channel.close();
    }

    /** Closes at once, discarding queued output; for a server shutting down. */
    void abort() {
        closed.set(true);
        input.close();
        output.closeLocally();
        channel.close();
    }

    /** Best effort: the handler thread flushes what it left buffered before the server closes the connection. */
    void flushQuietly() {
        try {
            output.flush();
        } catch (IOException ignored) {
            // The peer is gone or the stream was closed on purpose; there is nobody left to tell.
        }
    }

    private void fail(Throwable cause) {
        IOException failure = cause instanceof IOException io
                ? new IOException("connection error: " + io.getMessage(), io)
                : new IOException("connection error: " + cause, cause);
        input.onFailure(failure);
        output.onFailure(failure);
        channel.close();
    }

    /**
     * Blocking on an event loop would stall every channel it serves (and can deadlock on its own I/O), so the
     * streams refuse to wait there.
     */
    static void ensureNotEventLoop(Channel channel) {
        for (EventExecutor executor : channel.eventLoop().parent()) {
            if (executor.inEventLoop()) {
                throw new IllegalStateException("blocking stream call on Netty event loop thread "
                        + Thread.currentThread().getName());
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Runs on the channel's event loop; hands everything to the streams without blocking. */
    private final class Bridge extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            remote = (InetSocketAddress) ctx.channel().remoteAddress();
            local = (InetSocketAddress) ctx.channel().localAddress();
            if (input.onActive()) {
                ctx.read();
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf data) {
                input.onData(data);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (input.onReadComplete()) {
                ctx.read();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                input.onPeerEof();
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            output.wake();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            input.onPeerEof();
            output.wake();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
        }
    }
}
