package dev.jrsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NettyClientTest {

    @AfterAll
    static void shutdownClient() {
        NettyClient.shutdown();
    }

    @Test
    void refusedConnectionReadsLikeRsync() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RsyncException e = assertThrows(RsyncException.class,
                () -> NettyClient.connect("127.0.0.1", port, Duration.ofSeconds(5)));
        assertEquals(ExitCode.RERR_SOCKETIO, e.exitCode());
        // Stock 3.5.0 prints: rsync: [Receiver] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)
        assertEquals("failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)", e.getMessage());
    }

    @Test
    void unknownHostIsSocketError() {
        RsyncException e = assertThrows(RsyncException.class,
                () -> NettyClient.connect("no-such-host.invalid", 873, Duration.ofSeconds(5)));
        assertEquals(ExitCode.RERR_SOCKETIO, e.exitCode());
        assertTrue(e.getMessage().startsWith("getaddrinfo: no-such-host.invalid 873: "), e.getMessage());
    }

    @Test
    void shutdownThenConnectAgainWorks() throws Exception {
        try (NettyServer server = NettyServer.start(InetAddress.getLoopbackAddress(), 0, c -> { }, (c, t) -> { })) {
            try (Connection c = NettyClient.connect("localhost", server.port(), Duration.ZERO)) {
                assertEquals(-1, c.input().read());
            }
            NettyClient.shutdown();
            try (Connection c = NettyClient.connect("127.0.0.1", server.port(), Duration.ofSeconds(5))) {
                assertEquals(-1, c.input().read());
            }
        }
    }

    @Test
    void errnoTextForKnownFailures() {
        assertEquals("Connection refused (111)",
                NettyClient.describe(new ConnectException("Connection refused: /127.0.0.1:1")));
        assertEquals("Connection timed out (110)",
                NettyClient.describe(new ConnectTimeoutException("connection timed out after 5000 ms")));
        assertEquals("Network is unreachable (101)",
                NettyClient.describe(new java.net.SocketException("Network is unreachable")));
        assertEquals("something odd", NettyClient.describe(new java.io.IOException("something odd")));
    }
}
