package dev.jrsync.transport;

import static dev.jrsync.transport.TestStreams.async;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration CONNECT = Duration.ofSeconds(5);

    @AfterAll
    static void shutdownClient() {
        NettyClient.shutdown();
    }

    @Test
    void handlerExceptionIsReportedAndServerKeepsServing() throws Exception {
        BlockingQueue<Map.Entry<Connection, Throwable>> errors = new ArrayBlockingQueue<>(4);
        ConnectionHandler handler = c -> {
            if (c.input().read() == 'X') {
                throw new IllegalStateException("boom");
            }
            TestStreams.echo(c);
        };
        try (NettyServer server = NettyServer.start(LOOPBACK, 0, handler, (c, t) -> errors.add(Map.entry(c, t)))) {
            try (Connection bad = NettyClient.connect("127.0.0.1", server.port(), CONNECT)) {
                bad.output().write('X');
                bad.output().flush();
                assertEquals(-1, bad.input().read(), "server closed the failed connection");
                Map.Entry<Connection, Throwable> error = errors.poll(10, TimeUnit.SECONDS);
                assertEquals("boom", error.getValue().getMessage());
                assertEquals(bad.localAddress(), error.getKey().remoteAddress());
            }
            try (Connection good = NettyClient.connect("127.0.0.1", server.port(), CONNECT)) {
                good.output().write(new byte[] {'-', 'o', 'k'});
                good.output().close();
                assertArrayEquals(new byte[] {'o', 'k'}, good.input().readAllBytes());
            }
            assertTrue(errors.isEmpty());
        }
    }

    @Test
    void wildcardBindServesLoopback() throws Exception {
        try (NettyServer server = NettyServer.start(null, 0, TestStreams::echo, (c, t) -> { });
             Connection c = NettyClient.connect("127.0.0.1", server.port(), CONNECT)) {
            assertTrue(server.localAddress().getAddress().isAnyLocalAddress());
            assertNotEquals(0, server.port());
            c.output().write(42);
            c.output().close();
            assertEquals(42, c.input().read());
            assertEquals(-1, c.input().read());
        }
    }

    @Test
    void closeEndsLiveConnectionsAndReleasesThePort() throws Exception {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        BlockingQueue<Throwable> errors = new ArrayBlockingQueue<>(4);
        NettyServer server = NettyServer.start(LOOPBACK, 0, c -> {
            handlerStarted.countDown();
            c.input().read();
        }, (c, t) -> errors.add(t));
        int port = server.port();
        Future<Void> waiter = async(() -> {
            server.awaitClose();
            return null;
        });
        Connection client = NettyClient.connect("127.0.0.1", port, CONNECT);
        assertTrue(handlerStarted.await(10, TimeUnit.SECONDS));

        long start = System.nanoTime();
        server.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "close() waited for its full bound");
        waiter.get(5, TimeUnit.SECONDS);
        IOException handlerSaw = assertInstanceOf(IOException.class, errors.poll(5, TimeUnit.SECONDS));
        assertEquals("closed", handlerSaw.getMessage());
        try {
            assertEquals(-1, client.input().read());
        } catch (IOException reset) {
            // A reset instead of a FIN is an equally valid way to learn that the server went away.
        } finally {
            client.close();
        }
        try (ServerSocket again = new ServerSocket(port, 1, LOOPBACK)) {
            assertEquals(port, again.getLocalPort());
        }
        server.close();
    }

    @Test
    void closeCancelsHandlerBlockedOutsideItsConnection() throws Exception {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        BlockingQueue<Throwable> errors = new ArrayBlockingQueue<>(4);
        NettyServer server = NettyServer.start(LOOPBACK, 0, c -> {
            handlerStarted.countDown();
            never.await();
        }, (c, t) -> errors.add(t));
        Connection client = NettyClient.connect("127.0.0.1", server.port(), CONNECT);
        try {
            assertTrue(handlerStarted.await(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "close() waited for its full bound");
            assertInstanceOf(InterruptedException.class, errors.poll(5, TimeUnit.SECONDS));
        } finally {
            client.close();
        }
    }

    @Test
    void portInUseIsABindError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            RsyncException e = assertThrows(RsyncException.class,
                    () -> NettyServer.start(LOOPBACK, taken.getLocalPort(), c -> { }, (c, t) -> { }));
            assertEquals(ExitCode.RERR_SOCKETIO, e.exitCode());
            assertTrue(e.getMessage().startsWith("bind() failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void handlerRunsOnAVirtualThreadPerConnection() throws Exception {
        BlockingQueue<Thread> threads = new ArrayBlockingQueue<>(4);
        try (NettyServer server = NettyServer.start(LOOPBACK, 0, c -> threads.add(Thread.currentThread()),
                (c, t) -> { })) {
            for (int i = 0; i < 2; i++) {
                try (Connection c = NettyClient.connect("127.0.0.1", server.port(), CONNECT)) {
                    assertEquals(-1, c.input().read());
                }
            }
            Thread first = threads.poll(5, TimeUnit.SECONDS);
            Thread second = threads.poll(5, TimeUnit.SECONDS);
            assertTrue(first.isVirtual() && second.isVirtual());
            assertNotEquals(first, second);
            assertSame(null, threads.poll());
        }
    }
}
