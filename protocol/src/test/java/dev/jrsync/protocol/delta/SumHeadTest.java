package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SumHeadTest {

    private static WireInput ints(int... v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            bb.putInt(x);
        }
        return new WireInput(new ByteArrayInputStream(bb.array()));
    }

    /** Bytes of a protocol-32 transfer request seen in a loopback capture of rsync 3.5.0 (§7.4, Appendix A). */
    @Test
    void capturedHeaderRoundTrips() throws IOException {
        byte[] wire = HexFormat.of().parseHex("8f000000bc0200000200000058020000");
        SumHead h = SumHead.read(new WireInput(new ByteArrayInputStream(wire)), 32, 16);
        assertEquals(new SumHead(143, 700, 2, 600), h);
        assertEquals(100_000, h.fileLength());
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        h.write(new WireOutput(bos), 32);
        assertEquals(HexFormat.of().formatHex(wire), HexFormat.of().formatHex(bos.toByteArray()));
    }

    @Test
    void oldProtocolsOmitS2Length() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        new SumHead(3, 700, 2, 5).write(new WireOutput(bos), 26);
        assertEquals(12, bos.size());
        assertEquals(new SumHead(3, 700, 2, 5), SumHead.read(ints(3, 700, 5), 26, 16));
        assertEquals(new SumHead(0, 0, 0, 0), SumHead.read(ints(0, 0, 0, 0), 27, 16));
    }

    @Test
    void fileLength() {
        assertEquals(0, SumHead.EMPTY.fileLength());
        assertEquals(1400, new SumHead(2, 700, 2, 0).fileLength());
        assertEquals(701, new SumHead(2, 700, 2, 1).fileLength());
        assertEquals((long) (SumHead.MAX_COUNT - 1) * (1 << 17) + 5, new SumHead(SumHead.MAX_COUNT, 1 << 17, 2, 5).fileLength());
    }

    @ParameterizedTest
    @CsvSource({
            "30, -1, 700, 2, 0, checksum count: -1",
            "30, 16777217, 700, 2, 0, checksum count: 16777217",
            "30, 1, -1, 2, 0, block length: -1",
            "30, 1, 131073, 2, 0, block length: 131073",
            "29, 1, 536870913, 2, 0, block length: 536870913",
            "32, 1, 0, 2, 0, block length: 0",
            "32, 1, 700, -1, 0, checksum length: -1",
            "32, 1, 700, 17, 0, checksum length: 17",
            "32, 1, 700, 2, -1, remainder length: -1",
            "32, 1, 700, 2, 701, remainder length: 701",
    })
    void rejectsLikeRsync(int protocol, int count, int blength, int s2, int remainder, String message) {
        RsyncException e = assertThrows(RsyncException.class,
                () -> SumHead.read(ints(count, blength, s2, remainder), protocol, 16));
        assertEquals(ExitCode.RERR_PROTOCOL, e.exitCode());
        assertTrue(e.getMessage().startsWith(message + " (expected: "), e.getMessage());
    }

    @Test
    void acceptsLimits() throws IOException {
        assertEquals(1 << 29, SumHead.read(ints(1, 1 << 29, 16, 0), 29, 16).blockLength());
        assertEquals(1 << 17, SumHead.read(ints(SumHead.MAX_COUNT, 1 << 17, 8, 1 << 17), 30, 8).blockLength());
        assertThrows(RsyncException.class, () -> SumHead.read(ints(1, 700, 9, 0), 32, 8));
    }
}
