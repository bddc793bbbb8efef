package dev.jrsync.transport;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A TCP server that runs a {@link ConnectionHandler} on a new virtual thread per accepted connection.
 * Thread-safe. {@link #start} and {@link #close} block (bounded); {@link #awaitClose} blocks until closed.
 */
public final class NettyServer implements AutoCloseable {
    /** Bound on each stage of {@link #close()}: handler threads, then event loops. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final ConnectionHandler handler;
    private final BiConsumer<Connection, Throwable> onError;
    private final TransportOptions options;
    private final Set<NettyConnection> live = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionCount = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Channel serverChannel;

    private NettyServer(ConnectionHandler handler, BiConsumer<Connection, Throwable> onError,
                        TransportOptions options) {
        this.handler = handler;
        this.onError = onError;
        this.options = options;
        this.acceptGroup = Channels.newGroup(1, "jrsync-accept");
        this.ioGroup = Channels.newGroup(0, "jrsync-io");
    }

    /** Binds with {@link TransportOptions#DEFAULTS}; see {@link #start(InetAddress, int, ConnectionHandler, BiConsumer, TransportOptions)}. */
    public static NettyServer start(InetAddress bindAddress, int port, ConnectionHandler handler,
                                    BiConsumer<Connection, Throwable> onError) throws IOException {
        return start(bindAddress, port, handler, onError, TransportOptions.DEFAULTS);
    }

    /**
     * Binds and starts accepting.
     *
     * @param bindAddress null for the wildcard address
     * @param port        0 for an ephemeral port (see {@link #port()})
     * @param onError     receives whatever a handler throws; the connection is closed afterwards
     * @throws IOException (an {@link RsyncException} with exit code 10) when the address cannot be bound
     */
    public static NettyServer start(InetAddress bindAddress, int port, ConnectionHandler handler,
                                    BiConsumer<Connection, Throwable> onError, TransportOptions options)
            throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(onError, "onError");
        Objects.requireNonNull(options, "options");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        NettyServer server = new NettyServer(handler, onError, options);
        server.bind(bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port));
        return server;
    }

    private void bind(InetSocketAddress address) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted(ch);
                    }
                });
        Channels.configureChildren(bootstrap, options);
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdownGroups();
            closed.countDown();
            Throwable cause = bound.cause();
            throw new RsyncException(ExitCode.RERR_SOCKETIO, "bind() failed: " + cause.getMessage()
                    + " (address " + address.getAddress().getHostAddress() + ", port " + address.getPort() + ")",
                    cause);
        }
        serverChannel = bound.channel();
        // A listener that dies on its own still ends the server, so awaitClose() returns.
        serverChannel.closeFuture().addListener(f -> {
            if (!closing.get()) {
                Thread.ofVirtual().name("jrsync-server-close").start(this::close);
            }
        });
    }

    private void accepted(SocketChannel ch) {
        NettyConnection connection = new NettyConnection(ch, options);
        ch.pipeline().addLast(connection.handler());
        live.add(connection);
        if (closing.get()) {
            live.remove(connection);
            connection.abort();
            return;
        }
        Thread thread = Thread.ofVirtual()
                .name("jrsync-conn-" + connectionCount.incrementAndGet())
                .unstarted(() -> serve(connection));
        handlerThreads.add(thread);
        thread.start();
    }

    private void serve(NettyConnection connection) {
        try {
            handler.handle(connection);
            connection.flushQuietly();
        } catch (Throwable t) {
            try {
                onError.accept(connection, t);
            } catch (Throwable reportFailure) {
                reportFailure.addSuppressed(t);
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, reportFailure);
            }
        } finally {
            connection.close();
            live.remove(connection);
            handlerThreads.remove(Thread.currentThread());
        }
    }

    /** The bound port (the chosen one when started with port 0). */
    public int port() {
        return localAddress().getPort();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Stops accepting, closes live connections (their handlers see IOException "closed") and interrupts their
     * handler threads, then waits a bounded time for those threads and the event loops to end. Idempotent; must not be called on an event loop.
     */
    @Override
    public void close() {
        if (Channels.inGroup(acceptGroup) || Channels.inGroup(ioGroup)) {
            throw new IllegalStateException("NettyServer.close() on one of its event loop threads");
        }
        if (!closing.compareAndSet(false, true)) {
            awaitClosedUninterruptibly();
            return;
        }
        try {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            serverChannel.close().awaitUninterruptibly(CLOSE_WAIT.toMillis());
            for (NettyConnection connection : live) {
                connection.abort();
            }
            // A handler may be waiting on something other than its connection; shutdown cancels it.
            for (Thread thread : handlerThreads) {
                if (thread != Thread.currentThread()) {
                    thread.interrupt();
                }
            }
            for (Thread thread : handlerThreads) {
                if (thread != Thread.currentThread()) {
                    joinUntil(thread, deadline);
                }
            }
            shutdownGroups();
        } finally {
            closed.countDown();
        }
    }

    /** Blocks until {@link #close()} has finished (called by anyone, or after the listener died). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    private void shutdownGroups() {
        Future<?> accept = acceptGroup.shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Future<?> io = ioGroup.shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        accept.awaitUninterruptibly(CLOSE_WAIT.toMillis() + 1000);
        io.awaitUninterruptibly(CLOSE_WAIT.toMillis() + 1000);
    }

    private static void joinUntil(Thread thread, long deadline) {
        boolean interrupted = false;
        try {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    thread.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitClosedUninterruptibly() {
        boolean interrupted = false;
        while (closed.getCount() > 0) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
