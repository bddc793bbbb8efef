package dev.jrsync.protocol.flist;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.jrsync.protocol.flist.FileEntry.*;
import static dev.jrsync.protocol.fs.Modes.*;
import static dev.jrsync.protocol.flist.FlistTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile or broken lists: each is refused with a message naming the value and the expectation. */
class FileListValidationTest {
    /** Protocol 31, varint flags, -lD --specials, no ids: a compact hand-made encoding. */
    private static final FlistOptions P31 = new FlistOptions(31, true, false, false, true, true, true, true, false,
            true, 0, false);

    /** Writes one entry by hand: flags, [l1], l2, name bytes, len, mtime, mode, then {@code tail}. */
    private static byte[] entry(int flags, int l1, byte[] suffix, long len, int mode, byte[] tail) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        WireOutput o = new WireOutput(bos);
        o.writeVarint(flags);
        if ((flags & Xmit.XMIT_SAME_NAME) != 0) {
            o.writeByte(l1);
        }
        if ((flags & Xmit.XMIT_LONG_NAME) != 0) {
            o.writeVarint(suffix.length);
        } else {
            o.writeByte(suffix.length);
        }
        o.write(suffix);
        o.writeVarlong(len, 3);
        o.writeVarlong(1, 4);
        if ((flags & Xmit.XMIT_SAME_MODE) == 0) {
            o.writeInt(mode);
        }
        o.write(tail);
        return bos.toByteArray();
    }

    private static byte[] list(byte[]... parts) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            bos.writeBytes(p);
        }
        bos.writeBytes(new byte[] {0, 0});
        return bos.toByteArray();
    }

    private static byte[] file(String name) throws IOException {
        return entry(Xmit.XMIT_TOP_DIR, 0, name.getBytes(StandardCharsets.UTF_8), 0, S_IFREG | 0644, new byte[0]);
    }

    private static RsyncException fails(FlistOptions o, byte[] bytes) {
        return assertThrows(RsyncException.class,
                () -> new FileListReader(new WireInput(new ByteArrayInputStream(bytes)), o).readAll());
    }

    @Test
    void wellFormedBaseline() throws IOException {
        assertEquals("a/b", read(P31, list(file("a/b"))).entries().getFirst().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "..", "../x", "a/../../x", "a/..", "a//b", "a/", "./a", "a/./b", "a/."})
    void unsafeNamesAbortLikeStock(String name) throws IOException {
        RsyncException e = fails(P31, list(file(name)));
        assertEquals(ExitCode.RERR_UNSUPPORTED, e.exitCode());
        assertTrue(e.getMessage().startsWith("ABORTING due to unsafe pathname from sender: " + name), e.getMessage());
    }

    @Test
    void emptyNameAndNulAreUnsafe() throws IOException {
        assertTrue(fails(P31, list(file(""))).getMessage().contains("empty name"));
        assertTrue(fails(P31, list(file("a\0b"))).getMessage().contains("NUL"));
    }

    @Test
    void relativePathsStripOneLeadingSlash() throws IOException {
        FlistOptions rel = new FlistOptions(31, true, false, false, true, true, true, true, false, true, 0, true);
        FileListResult r = read(rel, list(entry(Xmit.XMIT_TOP_DIR, 0, "/.".getBytes(StandardCharsets.UTF_8), 0,
                S_IFDIR | 0755, new byte[0]), file("/etc/hosts")));
        assertEquals(List.of(".", "etc/hosts"), r.entries().stream().map(FileEntry::name).toList());
        assertEquals(ExitCode.RERR_UNSUPPORTED, fails(rel, list(file("//etc"))).exitCode());
        assertEquals(ExitCode.RERR_UNSUPPORTED, fails(rel, list(file("/"))).exitCode());
        assertEquals(ExitCode.RERR_UNSUPPORTED, fails(rel, list(file("/../x"))).exitCode());
    }

    @Test
    void nameTooLong() throws IOException {
        String msg = fails(P31, list(entry(Xmit.XMIT_LONG_NAME, 0, new byte[4096], 0, S_IFREG, new byte[0])))
                .getMessage();
        assertTrue(msg.contains("file-name length: 0 + 4096 bytes (expected: < 4096)"), msg);
        // prefix + suffix together
        byte[] first = file("a".repeat(200));
        byte[] second = entry(Xmit.XMIT_SAME_NAME | Xmit.XMIT_LONG_NAME, 200, new byte[3896], 0, S_IFREG,
                new byte[0]);
        assertTrue(fails(P31, list(first, second)).getMessage().contains("200 + 3896"));
        // 4095 bytes is fine
        String ok = "b".repeat(4095);
        assertEquals(ok, read(P31, list(entry(Xmit.XMIT_LONG_NAME, 0, ok.getBytes(StandardCharsets.US_ASCII), 0,
                S_IFREG | 0644, new byte[0]))).entries().getFirst().name());
    }

    @Test
    void prefixLongerThanPreviousName() throws IOException {
        byte[] second = entry(Xmit.XMIT_SAME_NAME, 5, "x".getBytes(StandardCharsets.US_ASCII), 0, S_IFREG,
                new byte[0]);
        String msg = fails(P31, list(file("abc"), second)).getMessage();
        assertTrue(msg.contains("prefix length: 5 (expected: <= 3"), msg);
    }

    @Test
    void namesThatAreNotUtf8KeepTheirBytes() throws IOException {
        byte[] raw = {'a', (byte) 0xE9, (byte) 0xFF, '.', 't'};
        byte[] e = entry(Xmit.XMIT_TOP_DIR, 0, raw, 0, S_IFREG, new byte[0]);
        FileListResult r = read(P31, list(e));
        String name = r.entries().getFirst().name();
        assertArrayEquals(raw, dev.jrsync.protocol.fs.NameBytes.encode(name));
        assertEquals("a\\#351\\#377.t", dev.jrsync.protocol.fs.NameBytes.printable(name, true));
    }

    @Test
    void symlinkTargetLengthBounds() throws IOException {
        assertTrue(fails(P31, list(entry(Xmit.XMIT_TOP_DIR, 0, new byte[] {'l'}, 0, S_IFLNK | 0777,
                new byte[] {0}))).getMessage().contains("symlink target length of l: 0 (expected: 1..4095)"));
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        new WireOutput(t).writeVarint(4096);
        assertTrue(fails(P31, list(entry(Xmit.XMIT_TOP_DIR, 0, new byte[] {'l'}, 0, S_IFLNK | 0777,
                t.toByteArray()))).getMessage().contains("4096 (expected: 1..4095)"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 0644, 0170644, 0050644, 0030000})
    void invalidFileTypes(int mode) throws IOException {
        RsyncException e = fails(P31, list(entry(Xmit.XMIT_TOP_DIR, 0, new byte[] {'m'}, 0, mode, new byte[0])));
        assertEquals(ExitCode.RERR_PROTOCOL, e.exitCode());
        assertTrue(e.getMessage().startsWith("invalid file mode 0" + Integer.toOctalString(mode) + " for m"),
                e.getMessage());
    }

    @Test
    void sameModeOnTheFirstEntryIsModeZero() throws IOException {
        assertTrue(fails(P31, list(entry(Xmit.XMIT_SAME_MODE, 0, new byte[] {'m'}, 0, 0, new byte[0])))
                .getMessage().startsWith("invalid file mode 00 for m"));
    }

    @Test
    void nsecOutOfRange() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        WireOutput o = new WireOutput(bos);
        o.writeVarint(Xmit.XMIT_MOD_NSEC);
        o.writeByte(1);
        o.writeByte('n');
        o.writeVarlong(0, 3);
        o.writeVarlong(1, 4);
        o.writeVarint(1_000_000_000);
        o.writeInt(S_IFREG | 0644);
        String msg = fails(P31, list(bos.toByteArray())).getMessage();
        assertTrue(msg.contains("nsec of n: 1000000000 (expected: 0..999999999)"), msg);
    }

    @Test
    void dotMustBeADirectory() throws IOException {
        RsyncException e = fails(P31, list(file(".")));
        assertEquals(ExitCode.RERR_PROTOCOL, e.exitCode());
        assertTrue(e.getMessage().contains("\".\": mode 0100644 (expected: a directory)"), e.getMessage());
    }

    @Test
    void negativeLength() throws IOException {
        assertTrue(fails(P31, list(entry(Xmit.XMIT_TOP_DIR, 0, new byte[] {'n'}, -1, S_IFREG | 0644,
                new byte[0]))).getMessage().contains("file length of n: -1 (expected: >= 0)"));
    }

    @Test
    void hardLinkFlagWithoutHardLinks() throws IOException {
        String msg = fails(P31, list(entry(Xmit.XMIT_HLINKED | Xmit.XMIT_HLINK_FIRST, 0, new byte[] {'h'}, 0,
                S_IFREG | 0644, new byte[0]))).getMessage();
        assertTrue(msg.contains("XMIT_HLINKED (expected: no hard-link data, -H was not negotiated)"), msg);
    }

    @Test
    void ioErrorEndMarkerNeedsSafeFlist() throws IOException {
        FlistOptions p30 = new FlistOptions(30, false, false, false, false, false, false, true, false, false, 0,
                false);
        String msg = fails(p30, new byte[] {0x04, 0x10, 0x01}).getMessage();
        assertTrue(msg.startsWith("Invalid flist flag: 0x1004"), msg);
        FlistOptions safe = new FlistOptions(30, false, false, false, false, false, false, true, false, true, 0,
                false);
        assertEquals(1, read(safe, new byte[] {0x04, 0x10, 0x09}).ioError(), "only IOERR_VALID_MASK bits are kept");
    }

    @Test
    void entryCountIsBounded() throws IOException {
        byte[] b = list(file("a"), file("b"), file("c"));
        RsyncException e = assertThrows(RsyncException.class,
                () -> new FileListReader(new WireInput(new ByteArrayInputStream(b)), P31, 2,
                        dev.jrsync.protocol.MemoryBudget.sessionDefault()).readAll());
        assertTrue(e.getMessage().contains("more than 2"), e.getMessage());
    }

    @Test
    void entriesAreChargedToTheSessionAndDaemonBudgets() throws IOException {
        byte[] b = list(file("a"), file("b"), file("c"));
        var daemonWide = new dev.jrsync.protocol.MemoryBudget("daemon", 10_000, null);
        var session = new dev.jrsync.protocol.MemoryBudget("--max-alloc=400", 400, daemonWide);
        RsyncException e = assertThrows(RsyncException.class,
                () -> new FileListReader(new WireInput(new ByteArrayInputStream(b)), P31, session).readAll());
        assertEquals(dev.jrsync.protocol.ExitCode.RERR_MALLOC, e.exitCode());
        assertTrue(e.getMessage().startsWith("exceeded --max-alloc=400 setting"), e.getMessage());
        assertEquals(session.used(), daemonWide.used(), "the parent holds what the session holds");
        assertTrue(session.used() > 0 && session.used() <= 400);
        session.close();
        assertEquals(0, daemonWide.used(), "closing the session returns its memory");

        var tightDaemon = new dev.jrsync.protocol.MemoryBudget("daemon", 300, null);
        var other = new dev.jrsync.protocol.MemoryBudget("--max-alloc=1000000", 1_000_000, tightDaemon);
        RsyncException d = assertThrows(RsyncException.class,
                () -> new FileListReader(new WireInput(new ByteArrayInputStream(b)), P31, other).readAll());
        assertTrue(d.getMessage().startsWith("exceeded daemon setting"), d.getMessage());
        assertEquals(other.used(), tightDaemon.used(), "a refused charge is rolled back in both");
        FileListResult fine = new FileListReader(new WireInput(new ByteArrayInputStream(b)), P31,
                new dev.jrsync.protocol.MemoryBudget("x", 1_000_000, daemonWide)).readAll();
        assertEquals(3, fine.entries().size());
    }

    @Test
    void idListLongerThanTheFileList() {
        FlistOptions o = new FlistOptions(29, false, true, false, false, false, false, false, false, false, 0,
                false);
        // one entry (uid 7), then a uid list naming ids 7 and 8
        byte[] b = hex("01 01 66 00 00 00 00 01 00 00 00 a4 81 00 00 07 00 00 00 00"
                + " 07 00 00 00 01 61 08 00 00 00 01 62 00 00 00 00 00 00 00 00");
        RsyncException e = assertThrows(RsyncException.class, () -> read(o, b));
        assertTrue(e.getMessage().contains("uid list: more than 1 ids"), e.getMessage());
    }

    @Test
    void truncatedStreamIsAnError() throws IOException {
        byte[] full = list(file("abc"));
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 3);
        assertEquals(ExitCode.RERR_STREAMIO, fails(P31, cut).exitCode());
    }

    @Test
    void writerRefusesWhatTheReaderWouldRefuse() {
        FlistOptions o = opts(31, true, 16);
        assertThrows(IllegalArgumentException.class, () -> write(o, List.of(FileEntry.of("../x", S_IFREG, 0, 0)), 0));
        assertThrows(IllegalArgumentException.class, () -> write(o, List.of(FileEntry.of("/x", S_IFREG, 0, 0)), 0));
        assertThrows(IllegalArgumentException.class,
                () -> write(o, List.of(FileEntry.of("x".repeat(4096), S_IFREG, 0, 0)), 0));
        assertThrows(IllegalArgumentException.class, () -> write(o, List.of(FileEntry.of("f", S_IFREG, 0, 0)), 0),
                "-c needs a checksum for a regular file");
        assertThrows(IllegalArgumentException.class,
                () -> write(o, List.of(FileEntry.of("l", S_IFLNK | 0777, 0, 0)), 0), "symlink without target");
        assertThrows(IllegalArgumentException.class,
                () -> write(o, List.of(FileEntry.of("d", S_IFDIR, 0, 0).withMtime(0, 1_000_000_000)), 0));
    }
}
