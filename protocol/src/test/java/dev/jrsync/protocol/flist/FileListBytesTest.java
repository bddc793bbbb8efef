package dev.jrsync.protocol.flist;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static dev.jrsync.protocol.flist.FileEntry.*;
import static dev.jrsync.protocol.fs.Modes.*;
import static dev.jrsync.protocol.flist.FlistTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact encodings from shared/reference/rsync-protocol.md §5.1-5.5 (verified there against rsync
 * 3.5.0 loopback captures) and the flag-filler rules of flist.c:send_file_entry().
 */
class FileListBytesTest {
    private static final long MTIME = 0x6B049698L;
    private static final int NSEC = 0x0634FA2E;

    /**
     * §5.2 worked example (proto 32, options -logDtpr, compat flags with varint flags, safe flist and
     * id0 names) without inc-recursion: the USER/GROUP_NAME_FOLLOWS bits and inline names drop out
     * and the names go to the id lists after the end marker (§5.3: {@code 00 04 "root" 00 04 "root"}).
     */
    @Test
    void workedExampleWithoutIncRecursion() throws IOException {
        FlistOptions o = new FlistOptions(32, true, true, true, true, true, true, false, true, true, 0, false);
        List<FileEntry> in = List.of(
                new FileEntry(".", S_IFDIR | 0755, 4096, MTIME, NSEC, 0, 0, 0, 0, null, null, Xmit.XMIT_TOP_DIR),
                new FileEntry("link", S_IFLNK | 0777, 5, MTIME, NSEC, 0, 0, 0, 0, "a.txt", null, 0));
        String expected = "a0 01 01 2e 00 00 10 6b 98 96 04 e6 2e fa 34 ed 41 00 00 00 00"
                + " a0 98 04 6c 69 6e 6b 00 05 00 e6 2e fa 34 ff a1 00 00 05 61 2e 74 78 74"
                + " 00 00 00 04 72 6f 6f 74 00 04 72 6f 6f 74";
        byte[] bytes = write(o, in, 0);
        assertEquals(expected, hex(bytes));
        FileListResult r = read(o, bytes);
        assertEquals(in, r.entries().stream().map(e -> e.withXflags(e.xflags() & Xmit.XMIT_TOP_DIR)).toList());
    }

    /** §5.3/§5.5 proto 29: end byte, two empty id lists, int32 io_error. */
    @Test
    void protocol29Trailer() throws IOException {
        FlistOptions o = new FlistOptions(29, false, true, true, true, true, true, false, false, false, 0, false);
        byte[] b = write(o, List.of(FileEntry.of("f", S_IFREG | 0644, 1, 2)), 0);
        // flags 0x00 -> XMIT_TOP_DIR filler for a non-dir; l2 1 "f"; len; mtime; mode; uid 0; gid 0.
        assertEquals("01 01 66 01 00 00 00 02 00 00 00 a4 81 00 00 00 00 00 00 00 00 00 00"
                + " 00 00 00 00 00 00 00 00 00 00 00 00 00", hex(b));
    }

    @Test
    void protocol28DirectoryWithoutFlagsUsesExtendedFlags() throws IOException {
        FlistOptions o = new FlistOptions(28, false, false, false, false, false, false, true, false, false, 0, false);
        FileEntry d = FileEntry.of("d", S_IFDIR | 0755, 0, 0);
        // Mode and mtime differ from the initial zero state only in mode; SAME_TIME (mtime 0 == initial).
        byte[] b = write(o, List.of(d, d.withName("e")), 0);
        // entry 1: 0x98 = SAME_TIME|SAME_GID|SAME_UID; entry 2 adds SAME_MODE -> 0x9a
        // then the end byte and the int32 io_error
        assertEquals("98 01 64 00 00 00 00 ed 41 00 00 9a 01 65 00 00 00 00 00 00 00 00 00", hex(b));
    }

    @Test
    void zeroFlagsFillers() throws IOException {
        // proto 28: a dir with no flag at all -> XMIT_EXTENDED_FLAGS shortint 04 00.
        FlistOptions o28 = new FlistOptions(28, false, true, true, false, false, false, true, false, false, 0,
                false);
        FileEntry a = new FileEntry("a", S_IFDIR | 0755, 0, 5, 0, 1, 1, 0, 0, null, null, 0);
        FileEntry b = new FileEntry("b", S_IFDIR | 0700, 0, 6, 0, 2, 2, 0, 0, null, null, 0);
        String h28 = hex(write(o28, List.of(a, b), 0));
        assertTrue(h28.contains("04 00 01 62"), h28);
        // a non-dir with no flag -> XMIT_TOP_DIR filler byte 01.
        FileEntry f = new FileEntry("f", S_IFREG | 0644, 0, 6, 0, 2, 2, 0, 0, null, null, 0);
        String hf = hex(write(o28, List.of(a, f), 0));
        assertTrue(hf.contains("01 01 66"), hf);
        // proto 27: a dir with no flag -> XMIT_LONG_NAME, so l2 is an int32.
        FlistOptions o27 = new FlistOptions(27, false, true, true, false, false, false, true, false, false, 0,
                false);
        String h27 = hex(write(o27, List.of(a, b), 0));
        assertTrue(h27.contains("40 01 00 00 00 62"), h27);
        assertEquals(List.of(a, b), read(o27, write(o27, List.of(a, b), 0)).entries().stream()
                .map(e -> e.withXflags(0)).toList());
        // varint flags: 0 -> 04.
        FlistOptions o31 = new FlistOptions(31, true, true, true, false, false, false, true, false, true, 0, false);
        String h31 = hex(write(o31, List.of(a, b), 0));
        assertTrue(h31.startsWith("04 01 61 "), h31);
    }

    @Test
    void ioErrorEndMarkers() throws IOException {
        FileEntry f = FileEntry.of("f", S_IFREG | 0644, 0, 1);
        FlistOptions safe30 = new FlistOptions(30, false, false, false, false, false, false, true, false, true, 0,
                false);
        assertTrue(hex(write(safe30, List.of(f), 3)).endsWith("04 10 03"));
        FlistOptions unsafe30 = new FlistOptions(30, false, false, false, false, false, false, true, false, false,
                0, false);
        assertTrue(hex(write(unsafe30, List.of(f), 3)).endsWith(" 00"));
        FlistOptions varint = new FlistOptions(31, true, false, false, false, false, false, true, false, true, 0,
                false);
        assertTrue(hex(write(varint, List.of(f), 1)).endsWith("00 01"));
        FlistOptions p27 = new FlistOptions(27, false, false, false, false, false, false, true, false, false, 0,
                false);
        assertTrue(hex(write(p27, List.of(f), 1)).endsWith("00 01 00 00 00"));
    }

    @Test
    void devicesPerProtocol() throws IOException {
        FileEntry c = new FileEntry("c", S_IFCHR | 0600, 0, 1, 0, 0, 0, 4, 7, null, null, 0);
        FileEntry big = new FileEntry("d", S_IFBLK | 0600, 0, 1, 0, 0, 0, 4, 0x1234, null, null, 0);
        // 28-29: minor as a byte when < 256 (XMIT_RDEV_MINOR_8_pre30), else int32; major int32 unless same.
        FlistOptions p29 = new FlistOptions(29, false, false, false, false, true, false, true, false, false, 0,
                false);
        String h = hex(write(p29, List.of(c, big), 0));
        assertTrue(h.startsWith("1c 08 01 63 00 00 00 00 01 00 00 00 80 21 00 00 04 00 00 00 07"), h);
        // 0x19c = SAME_RDEV_MAJOR|SAME_TIME|SAME_GID|SAME_UID|EXTENDED; minor 0x1234 as int32
        assertTrue(h.contains("9c 01 01 64 00 00 00 00 80 61 00 00 34 12 00 00"), h);
        // proto < 28: one int32 rdev in glibc's dev_t layout
        FlistOptions p27 = new FlistOptions(27, false, false, false, false, true, false, true, false, false, 0,
                false);
        String h27 = hex(write(p27, List.of(c), 0));
        // mode 020600, then rdev (minor 7 | major 4 << 8), end byte, int32 io_error
        assertTrue(h27.endsWith("80 21 00 00 07 04 00 00 00 00 00 00 00"), h27);
        assertEquals(List.of(c, big), read(p27, write(p27, List.of(c, big), 0)).entries().stream()
                .map(e -> e.withXflags(0)).toList());
    }
}
