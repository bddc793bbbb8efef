package dev.jrsync.transport;

import dev.jrsync.protocol.RsyncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketChannelConnectionTest {

    private record Pair(SocketChannel client, SocketChannel server) {
    }

    private static Pair tcp() throws IOException {
        try (ServerSocketChannel l = ServerSocketChannel.open()) {
            l.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel c = SocketChannel.open(l.getLocalAddress());
            return new Pair(c, l.accept());
        }
    }

    @Test
    void bytesBothWaysAndEofOverTcp() throws Exception {
        Pair p = tcp();
        try (SocketChannelConnection conn = SocketChannelConnection.of(p.server(), SocketChannelConnection.UNKNOWN_PEER);
             SocketChannel peer = p.client()) {
            assertEquals(peer.getLocalAddress(), conn.remoteAddress());
            byte[] big = new byte[3 * 1024 * 1024];
            new Random(7).nextBytes(big);
            // Writing more than the socket buffers hold needs the reader running at the same time.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    conn.output().write(big);
                    conn.output().close();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ByteBuffer got = ByteBuffer.allocate(big.length + 1);
            while (peer.read(got) >= 0) {
                // until EOF
            }
            writer.join();
            assertEquals(big.length, got.position());
            assertArrayEquals(big, Arrays.copyOf(got.array(), big.length));
            peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            peer.shutdownOutput();
            byte[] in = conn.input().readAllBytes();
            assertArrayEquals(new byte[] {1, 2, 3}, in);
            assertEquals(-1, conn.input().read());
        }
    }

    @Test
    void readTimeoutIsRsyncsExit30() throws Exception {
        Pair p = tcp();
        try (SocketChannelConnection conn = SocketChannelConnection.of(p.server(), SocketChannelConnection.UNKNOWN_PEER);
             SocketChannel peer = p.client()) {
            conn.setReadTimeout(Duration.ofMillis(300));
            RsyncException e = assertThrows(RsyncException.class, () -> conn.input().read());
            assertEquals(30, e.exitCode());
            assertTrue(peer.isConnected());
        }
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        Pair p = tcp();
        try (SocketChannel peer = p.client()) {
            SocketChannelConnection conn = SocketChannelConnection.of(p.server(), SocketChannelConnection.UNKNOWN_PEER);
            Thread reader = Thread.ofVirtual().start(() -> assertThrows(IOException.class, () -> conn.input().read()));
            Thread.sleep(200);
            conn.close();
            reader.join(5000);
            assertTrue(!reader.isAlive());
        }
    }

    @Test
    void unixSocketPeerHasTheUnknownAddress() throws Exception {
        Path sock = Files.createTempDirectory("scc").resolve("s");
        try (ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            l.bind(java.net.UnixDomainSocketAddress.of(sock));
            try (SocketChannel c = SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock));
                 SocketChannelConnection conn = SocketChannelConnection.of(l.accept(),
                         SocketChannelConnection.UNKNOWN_PEER)) {
                assertEquals("0.0.0.0", conn.remoteAddress().getAddress().getHostAddress());
                c.write(ByteBuffer.wrap("hi\n".getBytes()));
                assertEquals('h', conn.input().read());
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(sock.getParent());
        }
    }
}
