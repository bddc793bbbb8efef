package dev.jrsync.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/** Channel settings shared by server and client. Stateless. */
final class Channels {
    private Channels() {
    }

    static EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
    }

    /** Options of a connected socket, for a client bootstrap or a server's accepted children. */
    static void configure(Bootstrap bootstrap, TransportOptions options) {
        apply(new Setter() {
            @Override
            public <T> void set(ChannelOption<T> option, T value) {
                bootstrap.option(option, value);
            }
        }, options);
    }

    static void configure(io.netty.channel.Channel channel, TransportOptions options) {
        apply(new Setter() {
            @Override
            public <T> void set(ChannelOption<T> option, T value) {
                channel.config().setOption(option, value);
            }
        }, options);
    }

    static void configureChildren(ServerBootstrap bootstrap, TransportOptions options) {
        apply(new Setter() {
            @Override
            public <T> void set(ChannelOption<T> option, T value) {
                bootstrap.childOption(option, value);
            }
        }, options);
        if (options.socketBufferSize() > 0) {
            // Accepted sockets inherit the listener's receive buffer, which fixes their TCP window scale.
            bootstrap.option(ChannelOption.SO_RCVBUF, options.socketBufferSize());
        }
    }

    /** True when the calling thread is one of the group's event loops. */
    static boolean inGroup(EventLoopGroup group) {
        for (EventExecutor executor : group) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private interface Setter {
        <T> void set(ChannelOption<T> option, T value);
    }

    private static void apply(Setter setter, TransportOptions options) {
        setter.set(ChannelOption.TCP_NODELAY, true);
        setter.set(ChannelOption.SO_KEEPALIVE, true);
        // Reads are pulled by the stream so that a slow reader bounds memory instead of growing a queue.
        setter.set(ChannelOption.AUTO_READ, false);
        // Lets a peer half-close (rsync never does, but tests and pipes-like use do) and still hear our reply.
        setter.set(ChannelOption.ALLOW_HALF_CLOSURE, true);
        setter.set(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(options.writeLowWaterMark(), options.writeHighWaterMark()));
        int chunk = options.readChunk();
        setter.set(ChannelOption.RECVBUF_ALLOCATOR,
                new AdaptiveRecvByteBufAllocator(64, Math.min(2048, chunk), chunk));
        if (options.socketBufferSize() > 0) {
            setter.set(ChannelOption.SO_RCVBUF, options.socketBufferSize());
            setter.set(ChannelOption.SO_SNDBUF, options.socketBufferSize());
        }
    }
}
