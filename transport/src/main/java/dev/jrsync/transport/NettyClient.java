package dev.jrsync.transport;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Outgoing TCP connections on one shared, lazily created event loop group of daemon threads.
 * Thread-safe. {@link #connect} blocks the caller (never an event loop) until connected or failed.
 */
public final class NettyClient {
    private static final Object LOCK = new Object();
    private static EventLoopGroup group;

    private NettyClient() {
    }

    /** Connects with {@link TransportOptions#DEFAULTS}; see {@link #connect(String, int, Duration, TransportOptions)}. */
    public static Connection connect(String host, int port, Duration connectTimeout) throws IOException {
        return connect(host, port, connectTimeout, TransportOptions.DEFAULTS);
    }

    /**
     * Resolves {@code host} and tries each of its addresses in turn, like socket.c:open_socket_out().
     *
     * @param connectTimeout per address; {@link Duration#ZERO} leaves it to the operating system
     * @throws RsyncException exit code 10 when no address accepts (one "failed to connect to HOST (ADDR): ERROR"
     *                        line per address tried) or the name does not resolve; exit code 35 when the last
     *                        address timed out under {@code connectTimeout}
     */
    public static Connection connect(String host, int port, Duration connectTimeout, TransportOptions options)
            throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(options, "options");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        if (connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: >= 0)");
        }
        EventLoopGroup loops = group();
        if (Channels.inGroup(loops)) {
            throw new IllegalStateException("NettyClient.connect() on a Netty event loop thread");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RsyncException(ExitCode.RERR_SOCKETIO,
                    "getaddrinfo: " + host + " " + port + ": Name or service not known", e);
        }
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        List<String> failures = new ArrayList<>();
        Throwable lastCause = null;
        for (InetAddress address : addresses) {
            AtomicReference<NettyConnection> connection = new AtomicReference<>();
            Bootstrap bootstrap = new Bootstrap()
                    .group(loops)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            NettyConnection c = new NettyConnection(ch, options);
                            ch.pipeline().addLast(c.handler());
                            connection.set(c);
                        }
                    });
            Channels.configure(bootstrap, options);
            ChannelFuture future = bootstrap.connect(new InetSocketAddress(address, port));
            try {
                future.await();
            } catch (InterruptedException e) {
                future.cancel(false);
                future.channel().close();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while connecting to " + host);
            }
            if (future.isSuccess()) {
                return connection.get();
            }
            future.channel().close();
            lastCause = future.cause();
            failures.add("failed to connect to " + host + " (" + address.getHostAddress() + "): "
                    + describe(lastCause));
        }
        int exitCode = lastCause instanceof ConnectTimeoutException && !connectTimeout.isZero()
                ? ExitCode.RERR_CONTIMEOUT : ExitCode.RERR_SOCKETIO;
        throw new RsyncException(exitCode, String.join("\n", failures), lastCause);
    }

    /**
     * Hands an already connected, blocking {@code socket} to the shared event loop group (socket options as for
     * {@link #connect}); the channel becomes non-blocking and belongs to the returned connection.
     */
    public static Connection adopt(java.nio.channels.SocketChannel socket, TransportOptions options)
            throws IOException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(options, "options");
        if (!socket.isConnected()) {
            throw new IOException("socket is not connected");
        }
        EventLoopGroup loops = group();
        if (Channels.inGroup(loops)) {
            throw new IllegalStateException("NettyClient.adopt() on a Netty event loop thread");
        }
        NioSocketChannel ch = new NioSocketChannel(socket);
        Channels.configure(ch, options);
        NettyConnection c = new NettyConnection(ch, options);
        ch.pipeline().addLast(c.handler());
        ChannelFuture registered = loops.register(ch);
        try {
            registered.await();
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while registering the connection");
        }
        if (!registered.isSuccess()) {
            ch.unsafe().closeForcibly();
            throw new IOException("cannot register the connection: " + registered.cause(), registered.cause());
        }
        return c;
    }

    /** Stops the shared event loop group (bounded wait); a later {@link #connect} creates a new one. */
    public static void shutdown() {
        EventLoopGroup old;
        synchronized (LOCK) {
            old = group;
            group = null;
        }
        if (old != null) {
            Future<?> done = old.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            done.awaitUninterruptibly(3_000);
        }
    }

    private static EventLoopGroup group() {
        synchronized (LOCK) {
            if (group == null || group.isShuttingDown()) {
                group = Channels.newGroup(0, "jrsync-client");
            }
            return group;
        }
    }

    /** strerror() text plus errno, as rsyserr() prints it, for the failures a connect can meet on Linux. */
    static String describe(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "Connection timed out (110)";
        }
        if (cause instanceof NoRouteToHostException) {
            return "No route to host (113)";
        }
        String message = String.valueOf(cause.getMessage());
        for (String[] known : KNOWN_ERRORS) {
            if (message.startsWith(known[0])) {
                return known[0] + " (" + known[1] + ")";
            }
        }
        return message;
    }

    private static final String[][] KNOWN_ERRORS = {
            {"Connection refused", "111"},
            {"Connection timed out", "110"},
            {"Network is unreachable", "101"},
            {"No route to host", "113"},
            {"Cannot assign requested address", "99"},
            {"Connection reset by peer", "104"},
            {"Permission denied", "13"},
    };
}
