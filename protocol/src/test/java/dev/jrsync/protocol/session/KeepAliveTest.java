package dev.jrsync.protocol.session;

import dev.jrsync.protocol.handshake.TransferOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keep-alives: none before a role arms them (a peer may still be receiving the file list), then empty MSG_DATA. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeepAliveTest {
    @Test
    void silentUntilArmedThenEmptyDataFrames() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        Session session = new Session(new ByteArrayInputStream(new byte[0]), wire, new TransferOptions(), true,
                CompressionCapsTest.SILENT);
        session.muxOut().startMultiplex();
        try (Session.KeepAlive k = session.startKeepAlive(1)) {
            Thread.sleep(1500); // three times the half-timeout lull
            synchronized (session.muxOut()) {
                assertEquals(0, wire.size(), "keep-alive sent before any role ran");
            }
            session.armKeepAlive();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sizeOf(session, wire) < 4 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        byte[] bytes;
        synchronized (session.muxOut()) {
            bytes = wire.toByteArray();
        }
        byte[] first = java.util.Arrays.copyOf(bytes, 4);
        assertArrayEquals(new byte[] {0, 0, 0, 7}, first, "an empty MSG_DATA frame (tag 7 + MSG_DATA 0)");
    }

    private static int sizeOf(Session session, ByteArrayOutputStream wire) {
        synchronized (session.muxOut()) {
            return wire.size();
        }
    }
}
