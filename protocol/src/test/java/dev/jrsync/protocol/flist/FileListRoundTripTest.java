package dev.jrsync.protocol.flist;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.jrsync.protocol.flist.FileEntry.*;
import static dev.jrsync.protocol.fs.Modes.*;
import static dev.jrsync.protocol.flist.FlistTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writer to reader for every protocol 27..32, with and without varint flags and -c. */
class FileListRoundTripTest {

    static Stream<Arguments> variants() {
        List<Arguments> a = new ArrayList<>();
        for (int p = 27; p <= 32; p++) {
            for (int csum : new int[] {0, 16}) {
                a.add(Arguments.of(p, false, csum));
                if (p >= 30) {
                    a.add(Arguments.of(p, true, csum));
                }
            }
        }
        return a.stream();
    }

    private static List<FileEntry> sample(int csumLen) {
        String longSuffix = "L".repeat(300);
        byte[] sum = new byte[csumLen];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (byte) (i * 37 + 1);
        }
        byte[] s = csumLen == 0 ? null : sum;
        List<FileEntry> l = new ArrayList<>();
        l.add(new FileEntry(".", S_IFDIR | 0755, 4096, 1_795_462_808L, 104_135_214, 0, 0, 0, 0, null, null,
                Xmit.XMIT_TOP_DIR));
        l.add(new FileEntry("a.txt", S_IFREG | 0644, 12, 1_795_462_808L, 5, 1000, 100, 0, 0, null, s, 0));
        l.add(new FileEntry("a.txt2", S_IFREG | 0644, 12, 1_795_462_808L, 5, 1000, 100, 0, 0, null, s, 0));
        l.add(new FileEntry("link", S_IFLNK | 0777, 5, -1L, 0, 1001, 5, 0, 0, "a.txt", null, 0));
        l.add(new FileEntry("sub", S_IFDIR | 0700, 4096, -86_400L * 365 * 80, 999_999_999, 1001, 5, 0, 0, null,
                null, 0));
        l.add(new FileEntry("sub/big.bin", S_IFREG | 0600, 5_000_000_000L, 0x1_2345_6789L, 0, 1001, 5, 0, 0,
                null, s, 0));
        l.add(new FileEntry("sub/" + longSuffix, S_IFREG | 0600, 0, 0x1_2345_6789L, 0, 0, 0, 0, 0, null, s, 0));
        l.add(new FileEntry("sub/" + longSuffix + "x", S_IFREG | 0600, 1, 0x1_2345_6789L, 1, 0, 0, 0, 0, null,
                s, 0));
        l.add(new FileEntry("sub/" + "M".repeat(4000), S_IFREG | 0644, 1, 7, 0, 0, 0, 0, 0, null, s, 0));
        l.add(new FileEntry("sub/tty0", S_IFCHR | 0620, 0, 7, 0, 0, 5, 4, 0, null, null, 0));
        l.add(new FileEntry("sub/tty1", S_IFCHR | 0620, 0, 7, 0, 0, 5, 4, 1, null, null, 0));
        l.add(new FileEntry("sub/sda", S_IFBLK | 0660, 0, 7, 0, 0, 6, 8, 300, null, null, 0));
        l.add(new FileEntry("sub/fifo", S_IFIFO | 0644, 0, 7, 0, 0, 0, 0, 0, null, null, 0));
        l.add(new FileEntry("sub/sock", S_IFSOCK | 0755, 0, 7, 0, 0, 0, 0, 0, null, null, 0));
        l.add(new FileEntry("sub/q", S_IFDIR | 0755, 4096, 7, 0, 0, 0, 0, 0, null, null, 0));
        l.add(new FileEntry("sub/q/x", S_IFREG | 0644, 0, 7, 0, 0, 0, 0, 0, null, s, 0));
        l.add(new FileEntry("sub/q/\u00e9t\u00e9 \u65e5\u672c", S_IFREG | 0644, 0, 7, 0, 0, 0, 0, 0, null, s, 0));
        l.add(new FileEntry("zz", S_IFREG | 0644, 0, 7, 0, 0, 0, 0, 0, null, s, 0));
        return l;
    }

    /** What the reader must give back for {@code e} at {@code protocol}. */
    private static FileEntry expected(FileEntry e, int protocol) {
        long mtime = protocol < 30 ? e.mtime() & 0xFFFF_FFFFL : e.mtime();
        int nsec = protocol >= 31 ? e.mtimeNsec() : 0;
        int maj = e.isDevice() ? e.rdevMajor() : 0;
        int min = e.isDevice() ? e.rdevMinor() : 0;
        return new FileEntry(e.name(), e.mode(), e.size(), mtime, nsec, e.uid(), e.gid(), maj, min, e.linkTarget(),
                e.checksum(), 0);
    }

    @ParameterizedTest(name = "proto {0} varint {1} csum {2}")
    @MethodSource("variants")
    void roundTrip(int protocol, boolean varint, int csumLen) throws IOException {
        FlistOptions o = opts(protocol, varint, csumLen);
        List<FileEntry> in = sample(csumLen);
        FileListResult r = read(o, write(o, in, 0));
        assertEquals(in.size(), r.entries().size());
        for (int i = 0; i < in.size(); i++) {
            assertEquals(expected(in.get(i), protocol), r.entries().get(i).withXflags(0), "entry " + i);
        }
        assertEquals(0, r.ioError());
        assertEquals("alice", r.uidNames().get(1000));
        assertEquals("bob", r.uidNames().get(1001));
        assertEquals("users", r.gidNames().get(100));
        assertEquals("tty", r.gidNames().get(5));
        assertFalse(r.gidNames().containsKey(6), "gid 6 has no name on the sender");
        assertEquals(protocol >= 30 ? "root" : null, r.uidNames().get(0), "id 0 names only with CF_ID0_NAMES");

        FileEntry root = r.entries().get(0);
        assertTrue(root.isTopDir() && root.isContentDir());
        FileEntry sub = r.entries().get(4);
        assertFalse(sub.isTopDir());
        assertTrue(sub.isContentDir(), "recursive: a dir below a top dir is a content dir");
    }

    @ParameterizedTest(name = "proto {0} varint {1}")
    @MethodSource("variants")
    void ioErrorSurvivesWhereTheEncodingCarriesIt(int protocol, boolean varint, int csumLen) throws IOException {
        FlistOptions o = opts(protocol, varint, csumLen);
        FileListResult r = read(o, write(o, sample(csumLen).subList(0, 2), Xmit.IOERR_VANISHED));
        boolean carried = protocol < 30 || o.safeFlist();
        assertEquals(carried ? Xmit.IOERR_VANISHED : 0, r.ioError());
        assertEquals(!carried, FileListWriter.needsIoErrorMessage(o, Xmit.IOERR_VANISHED));
    }

    @ParameterizedTest(name = "proto {0} varint {1}")
    @MethodSource("variants")
    void noIdListsWithNumericIdsAndNothingPreserved(int protocol, boolean varint, int csumLen) throws IOException {
        FlistOptions o = new FlistOptions(protocol, varint, true, true, false, false, false, true, true,
                protocol >= 31, 0, false);
        List<FileEntry> in = List.of(new FileEntry("a", S_IFREG | 0644, 1, 2, 0, 1000, 100, 0, 0, null, null, 0));
        FileListResult r = read(o, write(o, in, 0));
        assertEquals(1000, r.entries().getFirst().uid());
        assertTrue(r.uidNames().isEmpty() && r.gidNames().isEmpty());

        FlistOptions bare = new FlistOptions(protocol, varint, false, false, false, false, false, false, false,
                protocol >= 31, 0, false);
        FileListResult r2 = read(bare, write(bare, in, 0));
        assertEquals(0, r2.entries().getFirst().uid(), "uid not preserved");
        assertEquals(0, r2.entries().getFirst().gid(), "gid not preserved");
    }

    @ParameterizedTest(name = "proto {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {27, 28, 29})
    void withoutRecursionOnlyTopDirsAreContentDirsBefore30(int protocol) throws IOException {
        FlistOptions o = new FlistOptions(protocol, false, false, false, false, false, false, true, false, false, 0,
                false, false);
        List<FileEntry> in = List.of(FileEntry.of(".", S_IFDIR | 0755, 0, 1).withXflags(Xmit.XMIT_TOP_DIR),
                FileEntry.of("d", S_IFDIR | 0755, 0, 1), FileEntry.of("d/e", S_IFDIR | 0755, 0, 1));
        List<FileEntry> out = read(o, write(o, in, 0)).entries();
        assertTrue(out.get(0).isContentDir() && out.get(0).isTopDir());
        assertFalse(out.get(1).isContentDir());
        assertFalse(out.get(2).isContentDir());
        FlistOptions rec = new FlistOptions(protocol, false, false, false, false, false, false, true, false, false,
                0, false, true);
        List<FileEntry> outRec = read(rec, write(rec, in, 0)).entries();
        assertTrue(outRec.get(1).isContentDir() && outRec.get(2).isContentDir());
    }
}
