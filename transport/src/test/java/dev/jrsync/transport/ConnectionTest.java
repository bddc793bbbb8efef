package dev.jrsync.transport;

import static dev.jrsync.transport.TestStreams.async;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration CONNECT = Duration.ofSeconds(5);

    @AfterAll
    static void shutdownClient() {
        NettyClient.shutdown();
    }

    private static NettyServer server(ConnectionHandler handler) throws IOException {
        return NettyServer.start(LOOPBACK, 0, handler, (c, t) -> { });
    }

    private static Connection connect(NettyServer server) throws IOException {
        return NettyClient.connect("127.0.0.1", server.port(), CONNECT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 100, 8191, 8192, 65535, 65536, 65537, 1_000_003})
    void echoRoundTrip(int size) throws Exception {
        byte[] data = TestStreams.payload(size, size);
        try (NettyServer server = server(TestStreams::echo); Connection c = connect(server)) {
            Future<?> writer = async(() -> {
                c.output().write(data);
                c.output().close();
                return null;
            });
            byte[] echoed = c.input().readAllBytes();
            writer.get();
            assertArrayEquals(data, echoed);
            assertEquals(-1, c.input().read(), "EOF stays EOF");
        }
    }

    @Test
    void singleByteWritesAndReads() throws Exception {
        try (NettyServer server = server(TestStreams::echo); Connection c = connect(server)) {
            for (int i = 0; i < 300; i++) {
                c.output().write(i);
                c.output().flush();
                assertEquals(i & 0xff, c.input().read());
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sixtyFourMebibytesEachWayAtOnce() throws Exception {
        long size = 64L << 20;
        ConnectionHandler handler = c -> {
            Future<Long> sent = async(() -> TestStreams.writePattern(c.output(), 2, size));
            long received = TestStreams.readExactly(c.input(), size);
            assertEquals(-1, c.input().read());
            sent.get();
            DataOutputStream out = new DataOutputStream(c.output());
            out.writeLong(received);
            out.flush();
        };
        try (NettyServer server = server(handler); Connection c = connect(server)) {
            Future<Long> sent = async(() -> {
                long crc = TestStreams.writePattern(c.output(), 1, size);
                c.output().close();
                return crc;
            });
            long expectedFromServer = TestStreams.writePattern(java.io.OutputStream.nullOutputStream(), 2, size);
            assertEquals(expectedFromServer, TestStreams.readExactly(c.input(), size));
            assertEquals(sent.get(), new DataInputStream(c.input()).readLong(), "server's CRC of what we sent");
            assertEquals(-1, c.input().read());
        }
    }

    @Test
    void peerEofIsMinusOneAndStickyWhileOurDirectionStaysOpen() throws Exception {
        CompletableFuture<String> serverHeard = new CompletableFuture<>();
        ConnectionHandler handler = c -> {
            c.output().write("hello".getBytes(StandardCharsets.US_ASCII));
            c.output().close();
            serverHeard.complete(new String(c.input().readAllBytes(), StandardCharsets.US_ASCII));
        };
        try (NettyServer server = server(handler); Connection c = connect(server)) {
            InputStream in = c.input();
            assertEquals("hello", new String(in.readNBytes(5), StandardCharsets.US_ASCII));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[10]));
            assertEquals(-1, in.read());
            c.output().write("bye".getBytes(StandardCharsets.US_ASCII));
            c.output().close();
            assertEquals("bye", serverHeard.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void peerCloseIsEof() throws Exception {
        try (NettyServer server = server(c -> { }); Connection c = connect(server)) {
            assertEquals(-1, c.input().read());
        }
    }

    @Test
    void localCloseWakesReaderWithClosedNotEof() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (NettyServer server = server(c -> release.await())) {
            Connection c = connect(server);
            CompletableFuture<Thread> readerThread = new CompletableFuture<>();
            Future<Integer> reader = async(() -> {
                readerThread.complete(Thread.currentThread());
                return c.input().read();
            });
            Thread t = readerThread.get();
            TestStreams.await(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING,
                    "reader parked");
            c.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> reader.get(10, TimeUnit.SECONDS));
            IOException cause = assertInstanceOf(IOException.class, e.getCause());
            assertEquals("closed", cause.getMessage());
            assertEquals("closed", assertThrows(IOException.class, () -> c.input().read()).getMessage());
            assertThrows(IOException.class, () -> c.output().write(1));
        } finally {
            release.countDown();
        }
    }

    @Test
    void flushedBytesSurviveImmediateClose() throws Exception {
        byte[] data = TestStreams.payload(7, 3_000_000);
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        try (NettyServer server = server(c -> serverGot.complete(c.input().readAllBytes()))) {
            Connection c = connect(server);
            c.output().write(data);
            c.output().flush();
            c.close();
            assertArrayEquals(data, serverGot.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void readTimeoutIsRsyncExitThirty() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (NettyServer server = server(c -> release.await()); Connection c = connect(server)) {
            c.setReadTimeout(Duration.ofSeconds(1));
            long start = System.nanoTime();
            RsyncException e = assertThrows(RsyncException.class, () -> c.input().read());
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ExitCode.RERR_TIMEOUT, e.exitCode());
            assertEquals("io timeout after 1 seconds -- exiting", e.getMessage());
            assertTrue(elapsedMillis >= 950, "timed out after " + elapsedMillis + " ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void timeoutDoesNotFireWhileBytesKeepComing() throws Exception {
        ConnectionHandler handler = c -> {
            for (int i = 0; i < 8; i++) {
                Thread.sleep(150);
                c.output().write(i);
                c.output().flush();
            }
        };
        try (NettyServer server = server(handler); Connection c = connect(server)) {
            c.setReadTimeout(Duration.ofMillis(600));
            for (int i = 0; i < 8; i++) {
                assertEquals(i, c.input().read());
            }
            assertEquals(-1, c.input().read());
        }
    }

    @Test
    void blockingReadOnEventLoopIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (NettyServer server = server(c -> release.await());
             NettyConnection c = (NettyConnection) connect(server)) {
            Future<Integer> onLoop = c.channel().eventLoop().submit(() -> c.input().read());
            ExecutionException e = assertThrows(ExecutionException.class, () -> onLoop.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        } finally {
            release.countDown();
        }
    }

    @Test
    void addressesMatchBothEnds() throws Exception {
        CompletableFuture<Connection> serverSide = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        try (NettyServer server = server(c -> {
                serverSide.complete(c);
                release.await();
            });
             Connection c = connect(server)) {
            Connection s = serverSide.get(10, TimeUnit.SECONDS);
            assertEquals(server.port(), c.remoteAddress().getPort());
            assertEquals(c.localAddress(), s.remoteAddress());
            assertEquals(c.remoteAddress(), s.localAddress());
        } finally {
            release.countDown();
        }
    }
}
