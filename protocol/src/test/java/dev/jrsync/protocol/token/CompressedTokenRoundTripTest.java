package dev.jrsync.protocol.token;

import dev.jrsync.protocol.token.TokenTestSupport.FileScript;
import dev.jrsync.protocol.token.TokenTestSupport.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.jrsync.protocol.token.TokenTestSupport.lcgText;
import static dev.jrsync.protocol.token.TokenTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressedTokenRoundTripTest {
    private static int level(CompressionType t) {
        return t == CompressionType.ZSTD ? TokenCodecs.ZSTD_DEFAULT_LEVEL : TokenCodecs.ZLIB_DEFAULT_LEVEL;
    }

    private static void roundTrip(CompressionType type, int protocol, List<FileScript> files) throws IOException {
        byte[] stream = TokenTestSupport.write(type, level(type), protocol, files);
        List<byte[]> got = TokenTestSupport.read(type, protocol, stream, files);
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(files.get(i).expected(), got.get(i), "file " + i);
        }
        List<byte[]> trickled = TokenTestSupport.read(type, protocol, new TokenTestSupport.Trickle(stream), files);
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(files.get(i).expected(), trickled.get(i), "file " + i + " read byte by byte");
        }
    }

    private static FileScript mixed(long seed) {
        byte[] basis = lcgText(70_000, seed);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ops.add(new Op.Blk(i));
        }
        ops.add(new Op.Lit(lcgText(1234, seed + 1)));
        ops.add(new Op.Blk(3));
        ops.add(new Op.Blk(3));
        ops.add(new Op.Lit(random(300, seed)));
        for (int i = 90; i < 100; i++) {
            ops.add(new Op.Blk(i));
        }
        ops.add(new Op.Blk(20));
        ops.add(new Op.Blk(85));
        ops.add(new Op.Blk(86));
        ops.add(new Op.Lit(new byte[] {1}));
        return new FileScript(basis, 700, ops);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void literalOnly(CompressionType type) throws IOException {
        roundTrip(type, 32, List.of(new FileScript(new byte[0], 700,
                List.of(new Op.Lit(lcgText(5000, 1)), new Op.Lit(random(5000, 2))))));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void matchOnly(CompressionType type) throws IOException {
        byte[] basis = lcgText(7000, 3);
        List<Op> ops = new ArrayList<>();
        for (int i = 9; i >= 0; i--) {
            ops.add(new Op.Blk(i));
        }
        roundTrip(type, 32, List.of(new FileScript(basis, 700, ops)));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void mixed(CompressionType type) throws IOException {
        roundTrip(type, 32, List.of(mixed(5)));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void emptyFile(CompressionType type) throws IOException {
        roundTrip(type, 32, List.of(new FileScript(new byte[0], 700, List.of())));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void runsCrossing65536(CompressionType type) throws IOException {
        byte[] basis = random(70_000 * 2, 7);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            ops.add(new Op.Blk(i));
        }
        ops.add(new Op.Blk(0));
        roundTrip(type, 32, List.of(new FileScript(basis, 2, ops)));
    }

    @Test
    void runIsSplitAfter65536Blocks() throws IOException {
        byte[] basis = new byte[70_000];
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            ops.add(new Op.Blk(i));
        }
        byte[] stream = TokenTestSupport.write(CompressionType.ZLIBX, 6, 32, List.of(new FileScript(basis, 1, ops)));
        // 0..65535 as C0 FF FF, then 65536..69999: r = 65536 - 65535 = 1, count 4463 = 0x116F.
        assertEquals("c0ffffc16f1100", HexFormat.of().formatHex(stream));
    }

    /**
     * The documented zlib vector of §8.2 (100000 bytes, 143 blocks, block 42 replaced by 700
     * incompressible bytes): C0 29 00, 42 C2 + 706 deflated bytes, C2 63 00, 00.
     */
    @Test
    void documentedZlibVector() throws IOException {
        byte[] basis = random(100_000, 70);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 143; i++) {
            ops.add(i == 42 ? new Op.Lit(random(700, 71)) : new Op.Blk(i));
        }
        FileScript f = new FileScript(basis, 700, ops);
        byte[] s = TokenTestSupport.write(CompressionType.ZLIB, 6, 32, List.of(f));
        HexFormat hex = HexFormat.of();
        assertEquals("c0290042c2", hex.formatHex(s, 0, 5));
        assertEquals("c2630000", hex.formatHex(s, 5 + 706, s.length));
        roundTrip(CompressionType.ZLIB, 32, List.of(f));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void longLiterals(CompressionType type) throws IOException {
        byte[] basis = lcgText(7000, 9);
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.Blk(2));
        ops.add(new Op.Lit(random(300_000, 10)));
        ops.add(new Op.Lit(new byte[500_000]));
        ops.add(new Op.Lit(lcgText(200_000, 11)));
        ops.add(new Op.Blk(3));
        roundTrip(type, 32, List.of(new FileScript(basis, 700, ops)));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void severalFilesInOneSession(CompressionType type) throws IOException {
        List<FileScript> files = List.of(mixed(20), new FileScript(new byte[0], 700, List.of()),
                new FileScript(new byte[0], 700, List.of(new Op.Lit(lcgText(3000, 21)))), mixed(22),
                new FileScript(lcgText(1000, 23), 700, List.of(new Op.Blk(1), new Op.Blk(0))));
        roundTrip(type, 32, files);
    }

    @Test
    void zstdStreamContinuesAcrossFiles() throws IOException {
        FileScript f = new FileScript(new byte[0], 700, List.of(new Op.Lit(lcgText(3000, 30))));
        byte[] stream = TokenTestSupport.write(CompressionType.ZSTD, 3, 32, List.of(f, f));
        // File 1 opens the frame (magic 28 B5 2F FD); file 2's data continues it without a magic.
        assertEquals("4", Integer.toHexString((stream[0] & 0xFF) >> 4));
        assertEquals("28b52ffd", HexFormat.of().formatHex(stream, 2, 6));
        int second = 2 + (((stream[0] & 0x3F) << 8) | (stream[1] & 0xFF)) + 1;
        assertEquals(0, stream[second - 1]);
        assertNotEquals("28b52ffd", HexFormat.of().formatHex(stream, second + 2, second + 6));
        // The second file alone does not decode with a fresh context.
        byte[] tail = java.util.Arrays.copyOfRange(stream, second, stream.length);
        assertTrue(assertThrowsStream(() -> TokenTestSupport.read(CompressionType.ZSTD, 32, tail, List.of(f))));
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"ZLIB", "ZLIBX"})
    void zlibResetsPerFile(CompressionType type) throws IOException {
        FileScript f = new FileScript(new byte[0], 700, List.of(new Op.Lit(lcgText(3000, 31))));
        byte[] one = TokenTestSupport.write(type, 6, 32, List.of(f));
        byte[] two = TokenTestSupport.write(type, 6, 32, List.of(f, f));
        assertEquals(HexFormat.of().formatHex(one) + HexFormat.of().formatHex(one), HexFormat.of().formatHex(two));
    }

    @Test
    void zlibMatchedDataShortensLaterLiterals() throws IOException {
        byte[] basis = random(7000, 40);
        byte[] copy = java.util.Arrays.copyOfRange(basis, 700, 1400);
        FileScript f = new FileScript(basis, 700, List.of(new Op.Blk(1), new Op.Lit(copy)));
        byte[] zlib = TokenTestSupport.write(CompressionType.ZLIB, 6, 32, List.of(f));
        byte[] zlibx = TokenTestSupport.write(CompressionType.ZLIBX, 6, 32, List.of(f));
        assertTrue(zlib.length < 50, "zlib refers back into the inserted block: " + zlib.length);
        assertTrue(zlibx.length > 700, "zlibx cannot: " + zlibx.length);
        roundTrip(CompressionType.ZLIB, 32, List.of(f));
    }

    /**
     * Protocol < 31 re-inserts a huge block's first 65535 bytes instead of advancing; both sides
     * must agree. After a 100000-byte block the 32 KiB window holds basis[1697..34465) under the
     * bug and basis[67232..100000) without it, so each literal below only compresses under one.
     */
    @Test
    void zlibProtocol30DuplicateInsertBug() throws IOException {
        byte[] basis = random(200_000, 50);
        FileScript early = new FileScript(basis, 100_000, List.of(new Op.Blk(0),
                new Op.Lit(java.util.Arrays.copyOfRange(basis, 2_000, 22_000)), new Op.Blk(1)));
        FileScript late = new FileScript(basis, 100_000, List.of(new Op.Blk(0),
                new Op.Lit(java.util.Arrays.copyOfRange(basis, 70_000, 90_000)), new Op.Blk(1)));
        for (int protocol : new int[] {30, 31}) {
            roundTrip(CompressionType.ZLIB, protocol, List.of(early, late));
        }
        byte[] earlyP30 = TokenTestSupport.write(CompressionType.ZLIB, 6, 30, List.of(early));
        byte[] lateP31 = TokenTestSupport.write(CompressionType.ZLIB, 6, 31, List.of(late));
        assertTrue(earlyP30.length < 1000, "bug history used: " + earlyP30.length);
        assertTrue(lateP31.length < 1000, "fixed history used: " + lateP31.length);
        assertTrue(TokenTestSupport.write(CompressionType.ZLIB, 6, 31, List.of(early)).length > 20_000);
        assertTrue(TokenTestSupport.write(CompressionType.ZLIB, 6, 30, List.of(late)).length > 20_000);
        assertTrue(assertThrowsStreamOrDiffers(CompressionType.ZLIB, 31, earlyP30, early));
        assertTrue(assertThrowsStreamOrDiffers(CompressionType.ZLIB, 30, lateP31, late));
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"ZLIB", "ZLIBX", "ZSTD", "LZ4"})
    void chunksStayWithin16383(CompressionType type) throws IOException {
        FileScript f = new FileScript(new byte[0], 700, List.of(new Op.Lit(random(100_000, 60))));
        byte[] s = TokenTestSupport.write(type, level(type), 32, List.of(f));
        int p = 0;
        int chunks = 0;
        while (s[p] != 0) {
            assertEquals(0x40, s[p] & 0xC0);
            int n = ((s[p] & 0x3F) << 8) | (s[p + 1] & 0xFF);
            assertTrue(n >= 1 && n <= 16383, "chunk length " + n);
            p += 2 + n;
            chunks++;
        }
        assertEquals(s.length - 1, p);
        assertTrue(chunks >= 7, "chunks: " + chunks);
    }

    private static boolean assertThrowsStream(org.junit.jupiter.api.function.Executable e) {
        dev.jrsync.protocol.RsyncException ex =
                org.junit.jupiter.api.Assertions.assertThrows(dev.jrsync.protocol.RsyncException.class, e);
        return ex.exitCode() == 12;
    }

    private static boolean assertThrowsStreamOrDiffers(CompressionType type, int protocol, byte[] s, FileScript f) {
        try {
            return !java.util.Arrays.equals(f.expected(), TokenTestSupport.read(type, protocol, s, List.of(f)).get(0));
        } catch (dev.jrsync.protocol.RsyncException e) {
            return e.exitCode() == 12;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void zstdWithWorkerThreadsIsStillOneDecodableStream() throws IOException {
        List<FileScript> files = List.of(mixed(11), mixed(12), mixed(13));
        byte[] stream = TokenTestSupport.write(CompressionType.ZSTD, TokenCodecs.ZSTD_DEFAULT_LEVEL, 2, 32, files);
        List<byte[]> got = TokenTestSupport.read(CompressionType.ZSTD, 32, stream, files);
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(files.get(i).expected(), got.get(i), "file " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"ZLIB", "ZLIBX"})
    void zlibLevelZeroSendsStoredBlocks(CompressionType type) throws IOException {
        List<FileScript> files = List.of(mixed(21), mixed(22));
        byte[] stored = TokenTestSupport.write(type, 0, 30, files);
        byte[] deflated = TokenTestSupport.write(type, TokenCodecs.ZLIB_DEFAULT_LEVEL, 30, files);
        List<byte[]> got = TokenTestSupport.read(type, 30, stored, files);
        long literal = 0;
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(files.get(i).expected(), got.get(i), "file " + i);
        }
        for (FileScript f : files) {
            for (Op op : f.ops()) {
                if (op instanceof Op.Lit l) {
                    literal += l.data().length;
                }
            }
        }
        assertTrue(stored.length >= literal, "stored: " + stored.length + " bytes for " + literal + " literal bytes");
        assertTrue(deflated.length < stored.length * 0.8, "deflated " + deflated.length + ", stored " + stored.length);
    }
}
