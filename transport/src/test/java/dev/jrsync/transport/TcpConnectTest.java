package dev.jrsync.transport;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpConnectTest {
    private final List<String> errors = new ArrayList<>();

    @AfterAll
    static void shutdownClient() {
        NettyClient.shutdown();
    }

    /** A one-connection server on 127.0.0.1: greets, then reports the peer address and the first line. */
    private static final class Greeter implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        final CompletableFuture<String> peer = new CompletableFuture<>();

        Greeter() throws IOException {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    peer.complete(s.getInetAddress().getHostAddress() + " " + line(s.getInputStream()));
                } catch (IOException e) {
                    peer.completeExceptionally(e);
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            sb.append((char) b);
        }
        return sb.toString();
    }

    private static TcpConnect.Target target(int port, String bind, TcpConnect.Family family, String sockopts,
                                            String proxy) {
        return new TcpConnect.Target("127.0.0.1", port, bind, family, SocketOptions.parse(sockopts),
                Duration.ofSeconds(5), proxy);
    }

    private static void talk(Connection c) throws IOException {
        assertEquals("hello", line(c.input()));
        c.output().write("ping\n".getBytes(StandardCharsets.US_ASCII));
        c.output().flush();
    }

    @Test
    void bindsTheLocalSideToTheGivenAddress() throws Exception {
        try (Greeter g = new Greeter();
             Connection c = TcpConnect.open(target(g.port(), "127.0.0.2", TcpConnect.Family.INET, null, null),
                     errors::add)) {
            talk(c);
            assertEquals("127.0.0.2 ping", g.peer.get(10, TimeUnit.SECONDS));
            assertEquals("127.0.0.2", c.localAddress().getAddress().getHostAddress());
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void aNonLocalBindAddressFailsSilentlyAsInStock() throws Exception {
        try (Greeter g = new Greeter()) {
            RsyncException e = assertThrows(RsyncException.class,
                    () -> TcpConnect.open(target(g.port(), "192.0.2.1", TcpConnect.Family.ANY, null, null),
                            errors::add));
            assertEquals(ExitCode.RERR_SOCKETIO, e.exitCode());
            assertEquals("", e.getMessage());
        }
        assertEquals(List.of(), errors, "socket.c:try_bind_local() says nothing when no address binds");
        assertThrows(RsyncException.class, () -> TcpConnect.open(
                target(1, "no-such-host.invalid", TcpConnect.Family.ANY, null, null), errors::add));
        assertEquals(List.of("rsync: getaddrinfo no-such-host.invalid: Name or service not known"), errors);
    }

    @Test
    void familyFiltersTheAddresses() throws Exception {
        RsyncException e = assertThrows(RsyncException.class,
                () -> TcpConnect.open(target(873, null, TcpConnect.Family.INET6, null, null), errors::add));
        assertEquals(ExitCode.RERR_SOCKETIO, e.exitCode());
        assertEquals(List.of("rsync: getaddrinfo: 127.0.0.1 873: Address family for hostname not supported"), errors);
        try (Greeter g = new Greeter();
             Connection c = TcpConnect.open(target(g.port(), null, TcpConnect.Family.INET, null, null),
                     errors::add)) {
            talk(c);
            assertEquals("127.0.0.1 ping", g.peer.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void socketOptionsAreReportedAndTheConnectionGoesAhead() throws Exception {
        try (Greeter g = new Greeter();
             Connection c = TcpConnect.open(target(g.port(), null, TcpConnect.Family.ANY,
                     "SO_SNDBUF=65536,BOGUS,TCP_NODELAY=0", null), errors::add)) {
            talk(c);
            assertEquals("127.0.0.1 ping", g.peer.get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("Unknown socket option BOGUS"), errors);
    }

    @Test
    void refusedConnectionsAreListedPerAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        RsyncException e = assertThrows(RsyncException.class,
                () -> TcpConnect.open(target(port, null, TcpConnect.Family.ANY, null, null), errors::add));
        assertEquals(ExitCode.RERR_SOCKETIO, e.exitCode());
        assertEquals(List.of("rsync: failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)"), errors);
    }

    @Test
    void connectTimeoutExitsWithCode35() throws Exception {
        // A listener that never accepts: once its queue is full, the kernel drops further SYNs.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    queued.add(s);
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                    } catch (IOException e) {
                        break; // the queue is full
                    }
                }
                TcpConnect.Target t = new TcpConnect.Target("127.0.0.1", full.getLocalPort(), null,
                        TcpConnect.Family.ANY, SocketOptions.NONE, Duration.ofSeconds(1), null);
                long start = System.nanoTime();
                RsyncException e = assertThrows(RsyncException.class, () -> TcpConnect.open(t, errors::add));
                assertEquals(ExitCode.RERR_CONTIMEOUT, e.exitCode());
                assertTrue(System.nanoTime() - start < 5_000_000_000L);
                assertEquals(List.of(), errors, "stock exits at the alarm without a message of its own");
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    /** An HTTP CONNECT proxy for one connection: answers {@code status}, then (for 2xx) relays to the target. */
    private static final class Proxy implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        final CompletableFuture<List<String>> request = new CompletableFuture<>();

        Proxy(String status) throws IOException {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    List<String> lines = new ArrayList<>();
                    for (String l; !(l = line(s.getInputStream())).equals("\r"); ) {
                        lines.add(l.strip());
                    }
                    request.complete(lines);
                    s.getOutputStream().write((status + "\r\nVia: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (!status.contains(" 200")) {
                        return;
                    }
                    String[] hostPort = lines.get(0).split(" ")[1].split(":");
                    try (Socket t = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                        Thread up = Thread.ofVirtual().start(() -> pump(s, t));
                        pump(t, s);
                        up.join(10_000);
                    }
                } catch (IOException | InterruptedException e) {
                    request.completeExceptionally(e);
                }
            });
        }

        static void pump(Socket from, Socket to) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                byte[] b = new byte[8192];
                for (int n; (n = in.read(b)) > 0; ) {
                    out.write(b, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException ignored) {
                // the other side went away
            }
        }

        String spec() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void tunnelsThroughAnHttpProxyWithBasicAuth() throws Exception {
        try (Greeter g = new Greeter(); Proxy p = new Proxy("HTTP/1.1 200 Connection established");
             Connection c = TcpConnect.open(target(g.port(), null, TcpConnect.Family.ANY, null,
                     "bob:pw@" + p.spec()), errors::add)) {
            talk(c);
            assertEquals(List.of("CONNECT 127.0.0.1:" + g.port() + " HTTP/1.0",
                    "Proxy-Authorization: Basic Ym9iOnB3"), p.request.get(10, TimeUnit.SECONDS));
            assertEquals("127.0.0.1 ping", g.peer.get(10, TimeUnit.SECONDS));
            assertEquals(new InetSocketAddress("127.0.0.1", p.server.getLocalPort()), c.remoteAddress());
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void aProxyRefusalIsReported() throws Exception {
        try (Proxy p = new Proxy("HTTP/1.0 403 Forbidden")) {
            RsyncException e = assertThrows(RsyncException.class, () -> TcpConnect.open(
                    target(873, null, TcpConnect.Family.ANY, null, p.spec()), errors::add));
            assertEquals(ExitCode.RERR_SOCKETIO, e.exitCode());
        }
        assertEquals(List.of("bad response from proxy -- HTTP/1.0 403 Forbidden"), errors);
    }
}
