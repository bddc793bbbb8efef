package dev.jrsync.transport;

import static dev.jrsync.transport.TestStreams.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** rsync's classic deadlock and the bounds that prevent it from turning into unbounded buffering. */
class FullDuplexTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Far below anything the payloads fit in, so both directions must stall and recover many times. */
    /**
     * Tiny Netty buffers; the kernel socket buffers stay above the loopback MSS (64 KiB): with
     * SO_RCVBUF below one segment, Linux's silly-window avoidance withholds window updates and the
     * sender falls back to zero-window probes with exponential backoff, which stalled this test
     * for minutes now and then without anything being wrong in our code.
     */
    private static final TransportOptions TINY =
            new TransportOptions(4096, 1024, 1024, 512, 1024, 2048, 256 * 1024, Duration.ofSeconds(5));

    @AfterAll
    static void shutdownClient() {
        NettyClient.shutdown();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void bothSidesWriteTwentyMebibytesBeforeReading() throws Exception {
        long size = 20L << 20;
        CountDownLatch startReading = new CountDownLatch(1);
        CompletableFuture<NettyConnection> serverSide = new CompletableFuture<>();
        CompletableFuture<long[]> serverResult = new CompletableFuture<>();
        ConnectionHandler handler = c -> {
            serverSide.complete((NettyConnection) c);
            Future<Long> sent = async(() -> TestStreams.writePattern(c.output(), 20, size));
            startReading.await();
            long received = TestStreams.readExactly(c.input(), size);
            serverResult.complete(new long[] {sent.get(), received});
        };
        try (NettyServer server = NettyServer.start(LOOPBACK, 0, handler, (c, t) -> serverResult.completeExceptionally(t), TINY);
             NettyConnection client = (NettyConnection) NettyClient.connect("127.0.0.1", server.port(),
                     Duration.ofSeconds(5), TINY)) {
            Future<Long> clientSent = async(() -> TestStreams.writePattern(client.output(), 10, size));
            NettyConnection serverConnection = serverSide.get(10, TimeUnit.SECONDS);

            TestStreams.await(() -> client.channelOutput().parks() > 0 && serverConnection.channelOutput().parks() > 0,
                    "both writers parked");
            assertFalse(clientSent.isDone(), "client writer finished although nobody read");

            startReading.countDown();
            long clientReceived = TestStreams.readExactly(client.input(), size);
            long[] server2 = serverResult.get(120, TimeUnit.SECONDS);
            assertEquals(clientSent.get(), server2[1], "client -> server CRC32C");
            assertEquals(server2[0], clientReceived, "server -> client CRC32C");
            assertTrue(client.channelInput().peakBuffered() <= TINY.inboundHighMark());
            assertTrue(serverConnection.channelInput().peakBuffered() <= TINY.inboundHighMark());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void slowReaderParksWriterAndBoundsServerBuffer() throws Exception {
        TransportOptions options = new TransportOptions(64 * 1024, 16 * 1024, 8 * 1024, 8 * 1024,
                16 * 1024, 32 * 1024, 16 * 1024, Duration.ofSeconds(5));
        int size = 4 << 20;
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<NettyConnection> serverSide = new CompletableFuture<>();
        CompletableFuture<Long> serverReceived = new CompletableFuture<>();
        ConnectionHandler slowReader = c -> {
            serverSide.complete((NettyConnection) c);
            go.await();
            byte[] buf = new byte[4096];
            long total = 0;
            for (int n; (n = c.input().read(buf)) >= 0; ) {
                total += n;
                if ((total & 0x7fff) == 0) {
                    Thread.sleep(1);
                }
            }
            serverReceived.complete(total);
        };
        try (NettyServer server = NettyServer.start(LOOPBACK, 0, slowReader, (c, t) -> serverReceived.completeExceptionally(t), options);
             NettyConnection client = (NettyConnection) NettyClient.connect("127.0.0.1", server.port(),
                     Duration.ofSeconds(5), options)) {
            AtomicLong written = new AtomicLong();
            CompletableFuture<Thread> writerThread = new CompletableFuture<>();
            Future<Long> writer = async(() -> {
                writerThread.complete(Thread.currentThread());
                OutputStream counting = new FilterOutputStream(client.output()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        written.addAndGet(len);
                    }
                };
                long crc = TestStreams.writePattern(counting, 3, size);
                client.output().close();
                return crc;
            });
            Thread t = writerThread.get();
            NettyConnection serverConnection = serverSide.get(10, TimeUnit.SECONDS);
            // Early parks are transient (the writer outruns the event loop); wait for the steady stall.
            long stalledAt;
            do {
                TestStreams.await(() -> t.getState() == Thread.State.WAITING, "writer parked");
                stalledAt = written.get();
                Thread.sleep(300);
            } while (written.get() != stalledAt || t.getState() != Thread.State.WAITING);
            assertTrue(client.channelOutput().parks() > 0);
            assertFalse(writer.isDone());
            assertTrue(stalledAt < (1 << 20), "writer got " + stalledAt + " bytes out with nobody reading");
            assertTrue(serverConnection.channelInput().peakBuffered() <= options.inboundHighMark());

            go.countDown();
            writer.get(40, TimeUnit.SECONDS);
            assertEquals(size, serverReceived.get(40, TimeUnit.SECONDS));
            int peak = serverConnection.channelInput().peakBuffered();
            assertTrue(peak > 0 && peak <= options.inboundHighMark(), "server buffered at most " + peak);
        }
    }
}
