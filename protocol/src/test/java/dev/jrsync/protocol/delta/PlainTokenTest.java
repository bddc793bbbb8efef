package dev.jrsync.protocol.delta;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainTokenTest {

    private static WireInput in(byte[] b) {
        return new WireInput(new ByteArrayInputStream(b));
    }

    @Test
    void writerEncoding() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        PlainTokenWriter w = new PlainTokenWriter(new WireOutput(bos));
        w.match(0);
        w.match(1);
        w.literal(new byte[] {'a', 'b', 'c', 'd'}, 1, 2);
        w.literal(new byte[0], 0, 0);
        w.end();
        assertEquals("ffffffff" + "feffffff" + "02000000" + "6263" + "00000000", HexFormat.of().formatHex(bos.toByteArray()));
    }

    @Test
    void longLiteralsAreSplitInto32KiBChunks() throws IOException {
        byte[] data = new byte[100_000];
        new Random(5).nextBytes(data);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        new PlainTokenWriter(new WireOutput(bos)).literal(data, 0, data.length);
        ByteBuffer bb = ByteBuffer.wrap(bos.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int[] expected = {32768, 32768, 32768, 100_000 - 3 * 32768};
        for (int n : expected) {
            assertEquals(n, bb.getInt());
            bb.position(bb.position() + n);
        }
        assertEquals(0, bb.remaining());
    }

    @Test
    void readerDeliversOversizedLiteralInPieces() throws IOException {
        int n = 32768 * 6 + 3;
        ByteBuffer bb = ByteBuffer.allocate(8 + n + 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(n);
        for (int i = 0; i < n; i++) {
            bb.put((byte) i);
        }
        bb.putInt(-3);
        bb.putInt(0);
        PlainTokenReader r = new PlainTokenReader(in(bb.array()), 3);
        int total = 0;
        Token t;
        while ((t = r.next()) instanceof Token.Literal(byte[] d, int off, int len)) {
            assertTrue(len > 0 && len <= 32768);
            for (int i = 0; i < len; i++) {
                assertEquals((byte) (total + i), d[off + i]);
            }
            total += len;
        }
        assertEquals(n, total);
        assertEquals(new Token.Match(2), t);
        assertInstanceOf(Token.End.class, r.next());
    }

    @Test
    void readerRejectsBlockIndexOutsideSignature() {
        for (int token : new int[] {-4, Integer.MIN_VALUE}) {
            ByteBuffer bb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(token);
            RsyncException e = assertThrows(RsyncException.class, () -> new PlainTokenReader(in(bb.array()), 3).next());
            assertEquals(ExitCode.RERR_STREAMIO, e.exitCode());
            assertTrue(e.getMessage().startsWith("block index: "), e.getMessage());
        }
        ByteBuffer bb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-1);
        assertThrows(RsyncException.class, () -> new PlainTokenReader(in(bb.array()), 0).next());
    }
}
