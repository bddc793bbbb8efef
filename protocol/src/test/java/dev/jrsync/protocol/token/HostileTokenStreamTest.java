package dev.jrsync.protocol.token;

import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.delta.Token;
import dev.jrsync.protocol.token.TokenTestSupport.FileScript;
import dev.jrsync.protocol.token.TokenTestSupport.Op;
import dev.jrsync.protocol.wire.WireInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostileTokenStreamTest {
    private static final FileScript MIXED = new FileScript(TokenTestSupport.lcgText(7000, 1), 700, List.of(
            new Op.Blk(0), new Op.Blk(1), new Op.Lit(TokenTestSupport.lcgText(2000, 2)), new Op.Blk(5),
            new Op.Lit(TokenTestSupport.random(500, 3))));

    private static RsyncException fails(CompressionType type, int blockCount, byte[] stream) {
        FileScript f = new FileScript(new byte[Math.max(1, blockCount) * 700], 700, List.of());
        FileScript shaped = new FileScript(Arrays.copyOf(f.basis(), blockCount * 700), 700, List.of());
        RsyncException e = assertThrows(RsyncException.class,
                () -> TokenTestSupport.read(type, 32, stream, List.of(shaped)));
        assertEquals(12, e.exitCode(), e.getMessage());
        return e;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"ZLIB", "ZLIBX", "ZSTD", "LZ4"})
    void everyTruncationFails(CompressionType type) throws IOException {
        byte[] full = TokenTestSupport.write(type, type == CompressionType.ZSTD ? 3 : 6, 32, List.of(MIXED));
        for (int cut = 0; cut < full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            RsyncException e = assertThrows(RsyncException.class,
                    () -> TokenTestSupport.read(type, 32, part, List.of(MIXED)), "cut at " + cut);
            assertEquals(12, e.exitCode());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "80, 0, 'block index: 0 (expected: 0 <= index < 0)'",
        "8a, 10, 'block index: 10 (expected: 0 <= index < 10)'",
        "c5050000, 10, 'block index: 10 (expected: 0 <= index < 10)'",
        "20fbffffff, 10, 'block index: -5 (expected: 0 <= index < 10)'",
        "21fbffffff0100, 10, 'block index: -5 (expected: 0 <= index < 10)'",
        "200a000000, 10, 'block index: 10 (expected: 0 <= index < 10)'",
        "21ffffff7fffff, 10, 'block index: 2147549182 (expected: 0 <= index < 10)'",
        "c10000, 10, 'token run count: 0 (expected: 1..65535)'",
        "22, 10, 'token flag: 0x22 (expected: 0x00, 0x20, 0x21, 0x40..0x7F or 0x80..0xFF)'",
        "1f, 10, 'token flag: 0x1F (expected: 0x00, 0x20, 0x21, 0x40..0x7F or 0x80..0xFF)'",
    })
    void badTokensFail(String stream, int blockCount, String message) {
        for (CompressionType type : List.of(CompressionType.ZLIB, CompressionType.ZSTD, CompressionType.LZ4)) {
            assertEquals(message, fails(type, blockCount, hex(stream)).getMessage(), type.name());
        }
    }

    @Test
    void relativeTokensFollowTheLastRun() throws IOException {
        // Blocks 3..5, then last + 2 = 7, then TOKEN_LONG 1, then last + 0 = 1: "last" is the run's end.
        byte[] stream = hex("c302008220010000008000");
        CompressedTokenReader r = TokenCodecs.reader(CompressionType.ZLIBX, new WireInput(new ByteArrayInputStream(stream)), 32);
        r.startFile(8);
        StringBuilder got = new StringBuilder();
        for (Token t = r.next(); !(t instanceof Token.End); t = r.next()) {
            got.append(((Token.Match) t).blockIndex()).append(' ');
        }
        assertEquals("3 4 5 7 1 1 ", got.toString());
    }

    @ParameterizedTest
    @CsvSource({"ZLIB", "LZ4"})
    void emptyChunkFails(CompressionType type) {
        assertEquals("compressed chunk length: 0 (expected: 1..16383)", fails(type, 1, hex("400000")).getMessage());
    }

    @ParameterizedTest
    @CsvSource({"ZLIB", "ZLIBX", "ZSTD", "LZ4"})
    void garbageDataFails(CompressionType type) {
        fails(type, 1, hex("4008ffffffffffffffff00"));
    }

    @Test
    void zlibFinalBlockLosesSync() {
        Deflater d = new Deflater(6, true);
        d.setInput(new byte[100]);
        d.finish();
        byte[] buf = new byte[100];
        int n = d.deflate(buf);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.write(0x40);
        s.write(n);
        s.write(buf, 0, n);
        s.write(0);
        assertTrue(fails(CompressionType.ZLIBX, 1, s.toByteArray()).getMessage().startsWith("decompressor lost sync"));
    }

    /** 16383 bytes of deflate expand up to 1032-fold; a smaller cap stops them early. */
    @Test
    void zlibChunkOutputIsCapped() throws IOException {
        byte[] stream = TokenTestSupport.write(CompressionType.ZLIBX, 9, 32,
                List.of(new FileScript(new byte[0], 700, List.of(new Op.Lit(new byte[4_000_000])))));
        assertTrue(stream.length < 16383 + 3, "one chunk: " + stream.length);
        ZlibTokenReader r = new ZlibTokenReader(new WireInput(new ByteArrayInputStream(stream)), false, 32, 1 << 20);
        r.startFile(0);
        RsyncException e = assertThrows(RsyncException.class, () -> {
            while (!(r.next() instanceof Token.End)) {
                // drain
            }
        });
        assertEquals(12, e.exitCode());
        assertTrue(e.getMessage().startsWith("decompressed chunk size: more than 1048576"), e.getMessage());
        // The default cap lets the legitimate stream through.
        FileScript f = new FileScript(new byte[0], 700, List.of(new Op.Lit(new byte[4_000_000])));
        assertEquals(4_000_000, TokenTestSupport.read(CompressionType.ZLIBX, 32, stream, List.of(f)).get(0).length);
    }

    @Test
    void zstdChunkOutputIsCapped() throws IOException {
        byte[] stream = TokenTestSupport.write(CompressionType.ZSTD, 3, 32,
                List.of(new FileScript(new byte[0], 700, List.of(new Op.Lit(new byte[8_000_000])))));
        assertTrue(stream.length < 16383 + 3, "one chunk: " + stream.length);
        ZstdTokenReader r = new ZstdTokenReader(new WireInput(new ByteArrayInputStream(stream)), 1 << 20);
        r.startFile(0);
        RsyncException e = assertThrows(RsyncException.class, () -> {
            while (!(r.next() instanceof Token.End)) {
                // drain
            }
        });
        assertEquals(12, e.exitCode());
        FileScript f = new FileScript(new byte[0], 700, List.of(new Op.Lit(new byte[8_000_000])));
        assertEquals(8_000_000, TokenTestSupport.read(CompressionType.ZSTD, 32, stream, List.of(f)).get(0).length);
    }

    /** An LZ4 block claiming more than max(LZ4_compressBound(32768), 16385) bytes of output is refused. */
    @Test
    void lz4ChunkOutputIsBounded() {
        // One sequence: 15 literals + match length 15+255*200 at offset 1, then 5 final literals.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xFF);
        b.write(0x0F);
        b.writeBytes(new byte[15]);
        b.write(1);
        b.write(0);
        for (int i = 0; i < 200; i++) {
            b.write(0xFF);
        }
        b.write(0);
        b.write(0x50);
        b.writeBytes(new byte[5]);
        byte[] block = b.toByteArray();
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.write(0x40 | block.length >> 8);
        s.write(block.length & 0xFF);
        s.writeBytes(block);
        s.write(0);
        assertTrue(fails(CompressionType.LZ4, 1, s.toByteArray()).getMessage().startsWith("lz4 chunk of"));
    }

    @Test
    void readerRequiresStartFile() throws IOException {
        CompressedTokenReader r = TokenCodecs.reader(CompressionType.ZSTD, new WireInput(new ByteArrayInputStream(new byte[] {0})), 32);
        assertThrows(IllegalStateException.class, r::next);
        r.startFile(0);
        assertInstanceOf(Token.End.class, r.next());
        assertThrows(IllegalStateException.class, r::next);
    }

    @Test
    void levelsAreChecked() {
        var out = new dev.jrsync.protocol.wire.WireOutput(new ByteArrayOutputStream());
        assertThrows(IllegalArgumentException.class, () -> TokenCodecs.writer(CompressionType.ZLIB, -1, out, 32));
        assertThrows(IllegalArgumentException.class, () -> TokenCodecs.writer(CompressionType.ZLIBX, 10, out, 32));
        assertThrows(IllegalArgumentException.class, () -> TokenCodecs.writer(CompressionType.ZSTD, 1000, out, 32));
        assertThrows(IllegalArgumentException.class, () -> TokenCodecs.writer(CompressionType.ZSTD, 3, -1, out, 32));
    }
}
