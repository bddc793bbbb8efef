package dev.jrsync.protocol.flist;

import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.jrsync.protocol.flist.FlistTestSupport.hex;
import static dev.jrsync.protocol.flist.FlistTestSupport.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File lists captured from stock rsync (the installed binary reports "rsync version 3.2.7 protocol
 * version 32"; 3.5.0 was not available on the capture machine; the list encoding of protocols 29
 * and 32 is the same in both). Setup: daemon {@code rsync --daemon --no-detach --port=18731
 * --address=127.0.0.1} with module {@code mod} holding {@code a.txt} ("hello world\n", mtime
 * 2026-01-02 03:04:05.123456789 UTC), {@code link -> a.txt}, FIFO {@code fifo}, {@code sub/big.bin}
 * (1000 zero bytes), {@code sub/q/x} ("x\n"); directories mtime 2025-06-01; all owned by root. A
 * python proxy logged the server-to-client bytes; the vectors are the demultiplexed MSG_DATA
 * payload from the first byte of the list to its end (id lists included). Client commands:
 * <ul>
 * <li>P32: {@code rsync -a --no-inc-recursive rsync://127.0.0.1:18732/mod/ dst32/} (compat flags 0x1fe)</li>
 * <li>P32C: {@code rsync -a -c --no-inc-recursive rsync://127.0.0.1:18734/mod/ dst32c/} (xxh128, 16 bytes)</li>
 * <li>P29: {@code rsync -a --protocol=29 rsync://127.0.0.1:18733/mod/ dst29/}</li>
 * </ul>
 */
class StockCaptureTest {
    static final String P32 =
            "01 01 2e 00 00 10 68 00 98 3b ed 41 00 00 00 00 a0 18 04 66 69 66 6f 00 "
            + "00 00 69 a5 35 57 e7 15 cd 5b a4 11 00 00 a0 98 04 6c 69 6e 6b 00 05 00 "
            + "f0 00 65 cd 1d ff a1 00 00 05 61 2e 74 78 74 18 03 73 75 62 00 00 10 68 "
            + "00 98 3b ed 41 00 00 a0 18 05 61 2e 74 78 74 00 0c 00 69 a5 35 57 e7 15 "
            + "cd 5b a4 81 00 00 18 05 73 75 62 2f 71 00 00 10 68 00 98 3b ed 41 00 00 "
            + "a0 38 04 07 62 69 67 2e 62 69 6e 00 e8 03 69 a5 35 57 e7 15 cd 5b a4 81 "
            + "00 00 a0 ba 04 03 71 2f 78 00 02 00 e7 15 cd 5b 00 00 00 04 72 6f 6f 74 "
            + "00 04 72 6f 6f 74";
    static final String P32C =
            "01 01 2e 00 00 10 68 00 98 3b ed 41 00 00 00 00 a0 18 04 66 69 66 6f 00 "
            + "00 00 69 a5 35 57 e7 15 cd 5b a4 11 00 00 a0 98 04 6c 69 6e 6b 00 05 00 "
            + "f0 00 65 cd 1d ff a1 00 00 05 61 2e 74 78 74 18 03 73 75 62 00 00 10 68 "
            + "00 98 3b ed 41 00 00 a0 18 05 61 2e 74 78 74 00 0c 00 69 a5 35 57 e7 15 "
            + "cd 5b a4 81 00 00 25 44 48 a5 33 e7 b2 36 13 cd 00 71 d8 c9 fa ee 18 05 "
            + "73 75 62 2f 71 00 00 10 68 00 98 3b ed 41 00 00 a0 38 04 07 62 69 67 2e "
            + "62 69 6e 00 e8 03 69 a5 35 57 e7 15 cd 5b a4 81 00 00 8c 58 dd 74 60 ea "
            + "c1 24 72 b9 09 6d ea 4a b9 3f a0 ba 04 03 71 2f 78 00 02 00 e7 15 cd 5b "
            + "db 1e df bd 08 72 f6 1b 8e 9b 61 92 0d 25 28 25 00 00 00 04 72 6f 6f 74 "
            + "00 04 72 6f 6f 74";
    static final String P29 =
            "01 01 2e 00 10 00 00 00 98 3b 68 ed 41 00 00 00 00 00 00 00 00 00 00 1c "
            + "09 04 66 69 66 6f 00 00 00 00 a5 35 57 69 a4 11 00 00 00 98 04 6c 69 6e "
            + "6b 05 00 00 00 ff a1 00 00 05 00 00 00 61 2e 74 78 74 18 03 73 75 62 00 "
            + "10 00 00 00 98 3b 68 ed 41 00 00 18 05 61 2e 74 78 74 0c 00 00 00 a5 35 "
            + "57 69 a4 81 00 00 18 05 73 75 62 2f 71 00 10 00 00 00 98 3b 68 ed 41 00 "
            + "00 38 04 07 62 69 67 2e 62 69 6e e8 03 00 00 a5 35 57 69 a4 81 00 00 ba "
            + "04 03 71 2f 78 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

    private static final long DIR_MTIME = 1_748_736_000L;   // 2025-06-01T00:00:00Z
    private static final long FILE_MTIME = 1_767_323_045L;  // 2026-01-02T03:04:05Z
    private static final IdNames ROOT_ONLY = IdNames.of(Map.of(0, "root"), Map.of(0, "root"));

    private static FlistOptions aOptions(int protocol, int csum) {
        // -a = -rlptgoD; compat flags 0x1fe = varint flags, safe flist, id0 names (none of them for 29).
        return new FlistOptions(protocol, protocol >= 30, true, true, true, true, true, false, protocol >= 30,
                protocol >= 31, csum, false, true);
    }

    @Test
    void protocol32() throws IOException {
        FileListResult r = read(aOptions(32, 0), hex(P32));
        checkTree(r.entries(), 123_456_789, 500_000_000);
        assertEquals(Map.of(0, "root"), r.uidNames());
        assertEquals(Map.of(0, "root"), r.gidNames());
        assertEquals(0, r.ioError());
        assertNull(r.entries().get(4).checksum());
    }

    @Test
    void protocol32WithChecksums() throws IOException {
        FileListResult r = read(aOptions(32, 16), hex(P32C));
        checkTree(r.entries(), 123_456_789, 500_000_000);
        assertEquals("254448a533e7b23613cd0071d8c9faee", HexFormat.of().formatHex(r.entries().get(4).checksum()));
        assertNull(r.entries().get(1).checksum(), "a FIFO carries no checksum");
    }

    @Test
    void protocol29() throws IOException {
        FileListResult r = read(aOptions(29, 0), hex(P29));
        checkTree(r.entries(), 0, 0);
        assertTrue(r.uidNames().isEmpty() && r.gidNames().isEmpty());
    }

    /** Our writer, given what the reader got, must reproduce stock's bytes exactly (flag choice included). */
    @Test
    void writerReproducesStockBytes() throws IOException {
        assertEquals(P32, rewrite(aOptions(32, 0), P32));
        assertEquals(P32C, rewrite(aOptions(32, 16), P32C));
        assertEquals(P29, rewrite(aOptions(29, 0), P29));
    }

    private static String rewrite(FlistOptions o, String vector) throws IOException {
        FileListResult r = read(o, hex(vector));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        FileListWriter w = new FileListWriter(new WireOutput(bos), o, ROOT_ONLY);
        for (FileEntry e : r.entries()) {
            w.write(e.isDir() ? e.withXflags(e.xflags() & (Xmit.XMIT_TOP_DIR | Xmit.XMIT_NO_CONTENT_DIR)) : e);
        }
        w.end(r.ioError());
        return hex(bos.toByteArray());
    }

    private static void checkTree(List<FileEntry> l, int fileNsec, int linkNsec) {
        List<String> names = l.stream().map(FileEntry::name).toList();
        assertEquals(List.of(".", "fifo", "link", "sub", "a.txt", "sub/q", "sub/big.bin", "sub/q/x"), names);
        FileEntry root = l.get(0);
        assertTrue(root.isDir() && root.isTopDir() && root.isContentDir());
        assertEquals(0755, root.permissions());
        assertEquals(DIR_MTIME, root.mtime());
        FileEntry fifo = l.get(1);
        assertTrue(fifo.isSpecial());
        assertEquals(FILE_MTIME, fifo.mtime());
        assertEquals(fileNsec, fifo.mtimeNsec());
        FileEntry link = l.get(2);
        assertTrue(link.isSymlink());
        assertEquals("a.txt", link.linkTarget());
        assertEquals(linkNsec, link.mtimeNsec());
        FileEntry sub = l.get(3);
        assertTrue(sub.isContentDir() && !sub.isTopDir());
        assertEquals(12, l.get(4).size());
        assertEquals(1000, l.get(6).size());
        assertEquals(2, l.get(7).size());
        assertEquals(fileNsec, l.get(7).mtimeNsec());
        assertEquals(List.of(".", "a.txt", "fifo", "link", "sub", "sub/big.bin", "sub/q", "sub/q/x"),
                FileListSort.sorted(l, 32).stream().map(FileEntry::name).toList());
    }
}
