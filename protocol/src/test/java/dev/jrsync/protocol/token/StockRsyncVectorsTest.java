package dev.jrsync.protocol.token;

import dev.jrsync.protocol.token.TokenTestSupport.FileScript;
import dev.jrsync.protocol.token.TokenTestSupport.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Token streams captured from stock rsync 3.2.7 (protocol 32) on this machine: a daemon started
 * with {@code rsync --daemon --no-detach --config=rsyncd.conf --port=18730 --address=127.0.0.1}
 * (module {@code mod}, {@code use chroot = no}, {@code munge symlinks = no}, {@code read only = no})
 * behind a Python TCP proxy logging the server-to-client bytes of
 * {@code rsync -I --no-whole-file --compress-choice=ALGO rsync://127.0.0.1:PORT/mod/file.txt dst/file.txt}
 * for ALGO in zlib, zlibx, zstd, lz4, and of
 * {@code rsync -rI --no-whole-file --compress-choice=ALGO rsync://127.0.0.1:PORT/mod/ dst/} with two
 * such files a.txt (seed 42) and b.txt (seed 43). Each basis is {@link TokenTestSupport#lcgText}
 * (7000, seed), 10 blocks of 700; the source is the basis with block 4 replaced by a copy of block 3
 * whose bytes 10, 350 and 690 are 'X'. Kept: the bytes from the first token through END_FLAG, cut
 * out after the sum head (10, 700, s2length, 0) of the demultiplexed sender data.
 */
class StockRsyncVectorsTest {
    private static final String ZLIB_ONE_FILE = "c00300401542a4dd88d1b44bf5b41b319a76a99e7623e0691700c2040000";

    private static final String ZLIBX_ONE_FILE = "c00300419714923b82452108437b56c1b25e0b22201fb9fbafc6294521f1847d0f88ee89fbb30cf80476e71cecc3c764"
            + "2edfd4264bc7883e5d7ba10c1032e96d309b8ecfd82ec734cf0e986a623f17a9de605c2ca36b7fe0604f46c418d36489"
            + "2e38e843df352fa7b36a8ac9bd70bb81fade4ef8058f2f2409bd2b5f93dcebf3a924a02c5cb2662a9b656f805b8757b8"
            + "96fb3975d9df9cde7c97e147bab551e350ea992fbfa78d5a41e0dfdd753cf28948291263d0d188671fc036156703573e"
            + "9d6b9d29fbbb075182be51d29c389b63736687bbd807152996d5c77f0d652e8cc220758a4a5f7bb67244b88c7c8d5330"
            + "17ab08fbddcdce5893d72f428f0704c33cefe2d79b2fc8293980ebee9c5bfd98d70631e417de75b407687d5cf70c811e"
            + "2bfad28188fadbb5b890f0bc9c0dbeef391eaadad9d9ad56f83ec5bae8397eb82e7eafb4ec2baf2b63f67f72edbbf4da"
            + "c8f2559b8d80ea50d929505a7d2af129fb7eb1fb234c0413dfd223df5ec31ece9a1e64b413270c63ed536b303febff7d"
            + "e9a349eff93e8c97b6563ae5232f57ba0216edb57f4b83f281d63f00c2040000";

    private static final String ZSTD_ONE_FILE = "c00300419828b52ffd00587c0c00c6eb620fb0a503a44d922429fd7192c491d3135d005d005e0068a1c340369aa05f1c"
            + "0ce99da2a4deb82a95bf872575cd11d0ebac04b460d95369f687292ac1057cab3068e23463b548f80bdf9778ae919501"
            + "8bcf1431906a48de269c8b15cca39d24b0478db7dc5a31fb2d4e2c10ee0406ffa1c98e0bbac23badd925485365d15dc7"
            + "75cbdf48f801b1cdec08ceba450ed1de5e22ba9c2e454c9c1997788a06ddd8a859d76f042ac48ea3b34107bfd8b48c23"
            + "f09082c930ea84a46a0ddf5575540eb53e44eeac44fb7fb030c146da30781dc302b3e38942b4e873a7efba2090e4ce1d"
            + "1aafe017082212ed803c17857e875710c6b01c1dc25d9326e75f42f8f8be1146d67c4d46091d6a02efa558585fc80c1d"
            + "fd81fb3e381343ee335efc4704f6a6cc5c283a3843275f37299b324d17010498a64d8c01b87014845dd8b0f66ed2763c"
            + "1a537bb6488d2b4c9c44063d1f7c2ff024fff451126b63296b7db8c01643c02f443aab15e6f4774cfb8a4028bee9b44e"
            + "4259e741837d0e0c43a086f1cc7c1bae1e6418cf600652902e14b02600c2040000";

    private static final String LZ4_ONE_FILE = "c0030042c0f0ffffaf656e690a6466656f6a6e58676b6a0a70640a656d6b6f69206d69626967646f6e626e6b666d6167"
            + "6b68206a6a6d696d6c656320646f0a61206261666e6d0a67676f6d6a706762676e626a6f6d626f656a0a6f6c6d616268"
            + "696e20616c0a6466206362646f666365700a680a6766656f64646762206b6764636466630a6920686f61706e67686c68"
            + "6169636c6f6c626168686c206568670a66686565686120706a626f68632061646a666e636b636466646e6e686f706664"
            + "6b0a206463206364636f6f6c6b6d626465650a0a6e6c6962636a68666c686869696c6e626868670a6d65626e63672070"
            + "616665666d20666a69616b66696f706b7069206820666c6a610a68706e656c69686a6b61646a646c66206162206a6169"
            + "666a6a6c0a640a0a6765616c626b6d0a626c6b6c6b6d6e676d6b6b6465706e692020646a61706f6661666b6f6a696562"
            + "6a65626b6b6d6a68686467700a6c6a6b64676b6c6d6968586d0a6c676864622064620a646c696c616c666465706b6d66"
            + "626a6a6a68646f64706d206f6c0a6f6e206c6c61206d6465706f656b6a636f6b6e686e200a6d6f686a0a6a620a6f6566"
            + "6d64686e686d626e0a64696c64690a20636e656b6f6e6c6d6d626f6c650a646720626b6a0a6e682067646e6e6370626c"
            + "6e696f610a6669676c61706b680a6161616d70656c63626c20612069676b6a670a707065626b6f616c6c656b6d6b6d6d"
            + "66676c20692020626663610a6c677061666e2070676c206367706c686c6e646f6767676c206368666d6e63666e676f64"
            + "6368636c656267610a616c69616c67696c0a6661636d696c6b206e696f68652063626869206861610a6f6a7063666964"
            + "7065636f62686a6862666b686a616761656b206f6a67206a6365696c636f206b70676d616c0a646d69666b6166696465"
            + "6962206e6165666c6b68616b6b6c6b646e646d6c6a0a63616563655863666a616b68646766c2040000";

    private static final String ZSTD_SECOND_FILE = "c00300418d540c00772b605e005f005e00f88eb262d26744041a207e0f1fa1be77c629c8e0eb52ab4306d43b0f502a58"
            + "578ae627efac0aaf12c6c02cc520711907d60873e7740ac6cc4de81a17981d667630eb23fa26f8505261aca3298d04c2"
            + "7e85150e4cdc41490984c0db64c76b7ce346c4b30ab1819f8dd931223418144c983e0449a303cbd47077304a738ac1ba"
            + "d6da948b3e1841201b04339a3c16c349f5491999d2ac8b8f4e1943d548478bdc6921826fb4e24c3dcb0d8c3282449123"
            + "44d474702702255c6bced1c1fb0301593605721de648c0e4e962f80b8f0ca48296f9062a1b063458847f56ccd34c5122"
            + "249430fe6df5aae0a53b289256652ca08095cdc550906103e7f30a813051818b91fcd42a9d1ba3611dfc8b8243062fe5"
            + "1dc16e6a8d75145449012101c36e04212780613f705ca1bb881d99a088810813ec07ce9de7c6e2b2bcfdc322828b18b3"
            + "63599c50c06b160252412a354a44606e73d44bcdfbfc1bb028223c218e22252afc92683cf4e1417410361b6820fc37ef"
            + "f4837a1523d915c679b00101000c68849506c2040000";

    private static FileScript file(long seed) {
        byte[] basis = TokenTestSupport.lcgText(7000, seed);
        byte[] changed = Arrays.copyOfRange(basis, 2100, 2800);
        for (int i : new int[] {10, 350, 690}) {
            changed[i] = 'X';
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ops.add(new Op.Blk(i));
        }
        ops.add(new Op.Lit(changed));
        for (int i = 5; i < 10; i++) {
            ops.add(new Op.Blk(i));
        }
        return new FileScript(basis, 700, ops);
    }

    private static String vector(CompressionType type) {
        return switch (type) {
            case ZLIB -> ZLIB_ONE_FILE;
            case ZLIBX -> ZLIBX_ONE_FILE;
            case ZSTD -> ZSTD_ONE_FILE;
            case LZ4 -> LZ4_ONE_FILE;
            case NONE -> throw new IllegalArgumentException();
        };
    }

    @ParameterizedTest
    @CsvSource({"ZLIB", "ZLIBX", "ZSTD", "LZ4"})
    void decodesStockStream(CompressionType type) throws IOException {
        FileScript f = file(42);
        byte[] stream = HexFormat.of().parseHex(vector(type));
        byte[] got = TokenTestSupport.read(type, 32, stream, List.of(f)).get(0);
        assertArrayEquals(f.expected(), got);
        assertFalse(Arrays.equals(f.basis(), got));
        got = TokenTestSupport.read(type, 32, new TokenTestSupport.Trickle(stream), List.of(f)).get(0);
        assertArrayEquals(f.expected(), got);
    }

    /** The 21-byte zlib literal only decodes because the matched blocks went into the history. */
    @Test
    void zlibNeedsMatchedDataInHistory() {
        FileScript f = file(42);
        byte[] stream = HexFormat.of().parseHex(ZLIB_ONE_FILE);
        byte[] got;
        try {
            got = TokenTestSupport.read(CompressionType.ZLIBX, 32, stream, List.of(f)).get(0);
        } catch (IOException e) {
            return;
        }
        assertFalse(Arrays.equals(f.expected(), got));
    }

    /** File b's zstd data continues the frame of file a: no magic, one decompression context. */
    @Test
    void zstdTwoFilesShareOneStream() throws IOException {
        FileScript a = file(42);
        FileScript b = file(43);
        byte[] stream = HexFormat.of().parseHex(ZSTD_ONE_FILE + ZSTD_SECOND_FILE);
        List<byte[]> got = TokenTestSupport.read(CompressionType.ZSTD, 32, stream, List.of(a, b));
        assertArrayEquals(a.expected(), got.get(0));
        assertArrayEquals(b.expected(), got.get(1));
        assertEquals("c0030041", ZSTD_SECOND_FILE.substring(0, 8));
        assertFalse(ZSTD_SECOND_FILE.startsWith("28b52ffd", 10));
        byte[] ours = TokenTestSupport.write(CompressionType.ZSTD, 3, 32, List.of(a, b));
        assertEquals(ZSTD_ONE_FILE + ZSTD_SECOND_FILE, HexFormat.of().formatHex(ours));
    }

    /** Our writers reproduce stock rsync's streams byte for byte (same framing, same compressors). */
    @ParameterizedTest
    @CsvSource({"ZLIB, 6", "ZLIBX, 6", "ZSTD, 3", "LZ4, 0"})
    void writerReproducesStockBytes(CompressionType type, int level) throws IOException {
        byte[] ours = TokenTestSupport.write(type, level, 32, List.of(file(42)));
        assertEquals(vector(type), HexFormat.of().formatHex(ours));
    }
}
