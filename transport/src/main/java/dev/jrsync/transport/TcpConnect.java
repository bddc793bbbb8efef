package dev.jrsync.transport;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A client's connection to an rsync daemon as socket.c:open_socket_out() makes it: resolves the host (or the
 * {@code RSYNC_PROXY} host) keeping the addresses of the requested family, and tries each in turn with a new
 * socket that is bound to {@code --address}, given the {@code --sockopts}, connected under the
 * {@code --contimeout} and, through a proxy, tunnelled with HTTP CONNECT. The connected socket is then handed to
 * Netty ({@link NettyClient#adopt}). Stateless; thread-safe; blocks the calling (virtual) thread.
 *
 * <p>Messages go to the caller's error sink worded as stock words them; a failure then throws an
 * {@link RsyncException} with an empty message (exit code 10, or 35 when the connect timeout expired).
 */
public final class TcpConnect {
    private TcpConnect() {
    }

    /** The address family a connection may use (rsync's -4 / -6; default either). */
    public enum Family {
        ANY, INET, INET6;

        boolean accepts(InetAddress a) {
            return switch (this) {
                case ANY -> true;
                case INET -> a instanceof Inet4Address;
                case INET6 -> a instanceof Inet6Address;
            };
        }

        static Family of(InetAddress a) {
            return a instanceof Inet6Address ? INET6 : INET;
        }
    }

    /**
     * Where and how to connect.
     *
     * @param host           the daemon's host name or address
     * @param port           the daemon's port
     * @param bindAddress    {@code --address}: the local address to bind, or null
     * @param family         {@code -4}/{@code -6}
     * @param socketOptions  {@code --sockopts}
     * @param connectTimeout {@code --contimeout} per address; {@link Duration#ZERO} leaves it to the system
     * @param proxy          the value of {@code RSYNC_PROXY}, or null (an empty value counts as unset)
     */
    public record Target(String host, int port, String bindAddress, Family family, SocketOptions socketOptions,
                         Duration connectTimeout, String proxy) {
        public Target {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(socketOptions, "socketOptions");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
            }
            if (connectTimeout.isNegative()) {
                throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: >= 0)");
            }
        }

        /** A plain connection: any family, no bind address, options, timeout or proxy. */
        public static Target of(String host, int port) {
            return new Target(host, port, null, Family.ANY, SocketOptions.NONE, Duration.ZERO, null);
        }
    }

    /** Connects with {@link TransportOptions#DEFAULTS}. */
    public static Connection open(Target target, Consumer<String> errors) throws IOException {
        return open(target, TransportOptions.DEFAULTS, errors);
    }

    /**
     * Opens the connection.
     *
     * @param errors receives each message stock would print (without a trailing newline)
     * @throws RsyncException exit code 10 when no address gave a connection (the reasons went to {@code errors}),
     *                        35 when the connect timeout expired
     */
    public static Connection open(Target target, TransportOptions options, Consumer<String> errors)
            throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(errors, "errors");
        ProxyConnect.Spec proxy = null;
        String host = target.host();
        String port = Integer.toString(target.port());
        if (target.proxy() != null && !target.proxy().isEmpty()) {
            Optional<ProxyConnect.Spec> spec = ProxyConnect.Spec.parse(target.proxy(), errors);
            if (spec.isEmpty()) {
                throw failed();
            }
            proxy = spec.get();
            host = proxy.host();
            port = proxy.port();
        }
        int portNumber = parsePort(port);
        if (portNumber < 0) {
            errors.accept("rsync: getaddrinfo: " + host + " " + port + ": Servname not supported for ai_socktype");
            throw failed();
        }
        Optional<List<InetAddress>> resolved = resolve(host, target.family());
        if (resolved.isEmpty()) {
            errors.accept("rsync: getaddrinfo: " + host + " " + port + ": " + resolveError(host, target.family()));
            throw failed();
        }
        List<String> failures = new ArrayList<>();
        for (InetAddress address : resolved.get()) {
            SocketChannel channel = attempt(target, address, portNumber, proxy, failures, errors);
            if (channel != null) {
                Connection c = NettyClient.adopt(channel, options);
                // Netty's defaults were applied on adoption; the user's options win, as set last.
                target.socketOptions().apply(channel, null);
                return c;
            }
        }
        failures.forEach(errors);
        throw failed();
    }

    /** One address: a socket bound, configured, connected and tunnelled, or null (the reason recorded). */
    private static SocketChannel attempt(Target target, InetAddress address, int port, ProxyConnect.Spec proxy,
                                         List<String> failures, Consumer<String> errors) throws IOException {
        ProtocolFamily pf = address instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
        SocketChannel channel;
        try {
            channel = SocketChannel.open(pf);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // socket.c: no socket for this family, try the next address
        }
        boolean done = false;
        try {
            if (target.bindAddress() != null && !bindLocal(channel, Family.of(address), target.bindAddress(), errors)) {
                return null;
            }
            target.socketOptions().apply(channel, errors);
            InetSocketAddress remote = new InetSocketAddress(address, port);
            long timeout = target.connectTimeout().toMillis();
            try {
                channel.socket().connect(remote, (int) Math.min(Integer.MAX_VALUE, timeout));
            } catch (SocketTimeoutException e) {
                if (!target.connectTimeout().isZero()) {
                    throw new RsyncException(ExitCode.RERR_CONTIMEOUT, "", e);
                }
                failures.add(failure(target, proxy, address, e));
                return null;
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw new InterruptedIOException("interrupted while connecting to " + target.host());
            } catch (IOException e) {
                failures.add(failure(target, proxy, address, e));
                return null;
            }
            if (proxy != null && !ProxyConnect.establish(java.nio.channels.Channels.newInputStream(channel),
                    java.nio.channels.Channels.newOutputStream(channel), target.host(), target.port(), proxy,
                    errors)) {
                return null;
            }
            done = true;
            return channel;
        } finally {
            if (!done) {
                closeQuietly(channel);
            }
        }
    }

    private static String failure(Target target, ProxyConnect.Spec proxy, InetAddress address, IOException e) {
        return "rsync: failed to connect to " + (proxy != null ? proxy.host() : target.host()) + " ("
                + address.getHostAddress() + "): " + NettyClient.describe(e);
    }

    /**
     * socket.c:try_bind_local(): binds to the first address of {@code bindAddress} in the family that works.
     * Stock says nothing when none binds (the address is merely skipped), only when the name does not resolve.
     */
    private static boolean bindLocal(SocketChannel channel, Family family, String bindAddress,
                                     Consumer<String> errors) {
        Optional<List<InetAddress>> local = resolve(bindAddress, family);
        if (local.isEmpty()) {
            errors.accept("rsync: getaddrinfo " + bindAddress + ": " + resolveError(bindAddress, family));
            return false;
        }
        for (InetAddress a : local.get()) {
            try {
                channel.bind(new InetSocketAddress(a, 0));
                return true;
            } catch (IOException | RuntimeException e) {
                // try the next one
            }
        }
        return false;
    }

    /** The addresses of {@code host} in {@code family}, or empty when there are none. */
    private static Optional<List<InetAddress>> resolve(String host, Family family) {
        try {
            List<InetAddress> all = Arrays.stream(InetAddress.getAllByName(host)).filter(family::accepts).toList();
            return all.isEmpty() ? Optional.empty() : Optional.of(all);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** gai_strerror() for a name that gave no address in the family. */
    private static String resolveError(String host, Family family) {
        if (family != Family.ANY && isLiteral(host)) {
            return "Address family for hostname not supported";
        }
        return "Name or service not known";
    }

    private static boolean isLiteral(String host) {
        return host.matches("[0-9.]+") && host.chars().filter(c -> c == '.').count() == 3 || host.contains(":");
    }

    /** A numeric service, or -1 (socket.c passes the proxy's port text to getaddrinfo). */
    private static int parsePort(String port) {
        if (!port.matches("[0-9]{1,5}")) {
            return -1;
        }
        int p = Integer.parseInt(port);
        return p <= 65535 ? p : -1;
    }

    private static RsyncException failed() {
        return new RsyncException(ExitCode.RERR_SOCKETIO, "");
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to release.
        }
    }
}
