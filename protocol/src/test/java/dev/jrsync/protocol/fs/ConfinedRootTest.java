package dev.jrsync.protocol.fs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every test runs twice: with openat2(2) (true) and with the user-space walk that stands in for it on
 * kernels before 5.6 (false). Tests run as root here, so permission bits never deny access; none of
 * these tests relies on EACCES.
 */
class ConfinedRootTest {
    @TempDir
    Path tmp;
    Path rootDir;
    Path outside;
    ConfinedRoot root;

    private ConfinedRoot setUp(boolean openat2) throws IOException {
        rootDir = Files.createDirectory(tmp.resolve("root"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectory(outside.resolve("sub"));
        Files.writeString(outside.resolve("sub/keep"), "keep");
        root = ConfinedRoot.open(rootDir, openat2);
        assertEquals(openat2, root.usesOpenat2());
        return root;
    }

    @AfterEach
    void tearDown() {
        if (root != null) {
            root.close();
        }
    }

    private Map<String, Object> outsideSnapshot() throws IOException {
        Map<String, Object> m = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(outside)) {
            for (Path p : s.toList()) {
                m.put(outside.relativize(p).toString(), Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,size",
                        LinkOption.NOFOLLOW_LINKS).toString()
                        + (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : ""));
            }
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void statMatchesTheJdkView(boolean openat2) throws IOException {
        setUp(openat2);
        Path f = Files.writeString(rootDir.resolve("f"), "hello, world");
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(1_700_000_000L, 123_456_789)));
        FileStat st = root.lstat("f");
        Map<String, Object> jdk = Files.readAttributes(f, "unix:*", LinkOption.NOFOLLOW_LINKS);
        assertEquals(jdk.get("mode"), st.mode());
        assertEquals(jdk.get("size"), st.size());
        assertEquals(jdk.get("uid"), st.uid());
        assertEquals(jdk.get("gid"), st.gid());
        assertEquals(jdk.get("ino"), st.ino());
        assertEquals(jdk.get("dev"), st.dev());
        assertEquals(jdk.get("nlink"), st.nlink());
        assertEquals(jdk.get("rdev"), st.rdev());
        assertEquals(1_700_000_000L, st.mtimeSec());
        assertEquals(123_456_789, st.mtimeNsec());
        assertTrue(st.isRegular());
        assertFalse(st.isDir());
        assertEquals(st, root.stat("f"));

        FileStat r = root.lstat("");
        assertTrue(r.isDir());
        assertEquals(Files.getAttribute(rootDir, "unix:ino"), r.ino());
        assertEquals(r, root.lstat("."));
    }

    @Test
    void deviceNumbersDecode() throws IOException {
        try (ConfinedRoot dev = ConfinedRoot.open(Path.of("/dev"))) {
            FileStat st = dev.lstat("null");
            assertEquals(Modes.S_IFCHR, Modes.type(st.mode()));
            assertEquals(1, st.rdevMajor());
            assertEquals(3, st.rdevMinor());
            assertEquals(Files.getAttribute(Path.of("/dev/null"), "unix:rdev"), st.rdev());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255, 256, 4095, 4096, 0xfffff, 0x7fffffff})
    void makedevRoundTrips(int n) {
        long dev = FileStat.makedev(n, n ^ 0x5a5a5);
        assertEquals(n, FileStat.major(dev));
        assertEquals(n ^ 0x5a5a5, FileStat.minor(dev));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void directoriesLinksAndNames(boolean openat2) throws IOException {
        setUp(openat2);
        root.mkdir("d", 0755);
        root.mkdir("d/e", 0700);
        assertTrue(root.lstat("d/e").isDir());
        assertEquals(0700, root.lstat("d/e").mode() & Modes.PERMS);
        ErrnoException dup = assertThrows(ErrnoException.class, () -> root.mkdir("d", 0755));
        assertEquals(Libc.EEXIST, dup.errno());

        root.symlink("../some/where", "d/ln");
        assertTrue(root.lstat("d/ln").isSymlink());
        assertEquals("../some/where", root.readlink("d/ln"));
        assertEquals("../some/where", Files.readSymbolicLink(rootDir.resolve("d/ln")).toString());
        String longTarget = "x/".repeat(1000) + "y";
        root.symlink(longTarget, "long");
        assertEquals(longTarget, root.readlink("long"));

        Files.writeString(rootDir.resolve("d/f"), "x");
        assertEquals(Set.of("e", "ln", "f"), new HashSet<>(root.list("d")));
        assertEquals(Set.of("d", "long"), new HashSet<>(root.list("")));

        root.rename("d/f", "g");
        assertNull(root.lstat("d/f"));
        assertEquals("x", Files.readString(rootDir.resolve("g")));
        Files.writeString(rootDir.resolve("h"), "y");
        root.rename("h", "g"); // atomic replace
        assertEquals("y", Files.readString(rootDir.resolve("g")));

        root.unlink("g");
        assertNull(root.lstat("g"));
        root.unlink("d/ln");
        root.rmdir("d/e");
        root.symlink("x", "d/keep");
        ErrnoException notEmpty = assertThrows(ErrnoException.class, () -> root.rmdir("d"));
        assertEquals(Libc.ENOTEMPTY, notEmpty.errno());
        root.unlink("d/keep");
        root.rmdir("d");
        assertNull(root.lstat("d"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void manyDirectoryEntries(boolean openat2) throws IOException {
        setUp(openat2);
        root.mkdir("big", 0755);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            String n = "entry-with-a-longish-name-" + i + "-\u00e9\u4e2d";
            Files.createFile(rootDir.resolve("big").resolve(n));
            expected.add(n);
        }
        List<String> got = root.list("big");
        assertEquals(expected.size(), got.size());
        assertEquals(expected, new HashSet<>(got));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void mknodMakesFifosAndDevices(boolean openat2) throws IOException {
        setUp(openat2);
        root.mknod("fifo", Modes.S_IFIFO | 0644, 0);
        FileStat fifo = root.lstat("fifo");
        assertEquals(Modes.S_IFIFO, Modes.type(fifo.mode()));
        assertTrue(Modes.isSpecial(fifo.mode()));
        assertThrows(IOException.class, () -> root.openRead("fifo")); // refused without blocking
        try {
            root.mknod("null", Modes.S_IFCHR | 0600, FileStat.makedev(1, 3));
        } catch (ErrnoException e) {
            assumeTrue(false, "no CAP_MKNOD here: " + e.getMessage());
        }
        FileStat dev = root.lstat("null");
        assertEquals(Modes.S_IFCHR, Modes.type(dev.mode()));
        assertEquals(1, dev.rdevMajor());
        assertEquals(3, dev.rdevMinor());
        assertEquals(Files.getAttribute(rootDir.resolve("null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS), dev.rdev());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void modesOwnersAndNanosecondTimes(boolean openat2) throws IOException {
        setUp(openat2);
        Files.writeString(rootDir.resolve("f"), "x");
        root.chmod("f", 04751);
        assertEquals(04751, root.lstat("f").mode() & Modes.PERMS);
        root.chmod("", 0711);
        assertEquals(0711, (Integer) Files.getAttribute(rootDir, "unix:mode") & Modes.PERMS);

        root.setTimes("f", 1_234_567_890L, 987_654_321, false);
        FileStat st = root.lstat("f");
        assertEquals(1_234_567_890L, st.mtimeSec());
        assertEquals(987_654_321, st.mtimeNsec());
        assertEquals(FileTime.from(Instant.ofEpochSecond(1_234_567_890L, 987_654_321)),
                Files.getLastModifiedTime(rootDir.resolve("f")));

        root.symlink("f", "ln");
        root.setTimes("ln", 1_000_000_001L, 5, true); // the link itself
        assertEquals(5, root.lstat("ln").mtimeNsec());
        assertEquals(1_234_567_890L, root.lstat("f").mtimeSec());
        root.setTimes("ln", 1_500_000_000L, 7, false); // its target
        assertEquals(1_500_000_000L, root.lstat("f").mtimeSec());
        assertEquals(1_000_000_001L, root.lstat("ln").mtimeSec());
        root.setTimes("", 1_600_000_000L, 1, false);
        assertEquals(1_600_000_000L, root.lstat("").mtimeSec());
        assertThrows(IOException.class, () -> root.setTimes("f", 0, 1_000_000_000, true));

        int mode = root.lstat("ln").mode();
        root.chmod("ln", 0600); // no-op, and not applied to the target either
        assertEquals(mode, root.lstat("ln").mode());
        assertEquals(04751, root.lstat("f").mode() & Modes.PERMS);

        // As root, ownership can change to any id; as anyone, to one's own ids.
        boolean isRoot = "root".equals(System.getProperty("user.name"));
        int uid = isRoot ? 4321 : root.lstat("f").uid();
        int gid = isRoot ? 8765 : root.lstat("f").gid();
        root.lchown("f", uid, -1);
        assertEquals(uid, root.lstat("f").uid());
        root.lchown("f", -1, gid);
        assertEquals(uid, root.lstat("f").uid());
        assertEquals(gid, root.lstat("f").gid());
        if (isRoot) {
            root.lchown("ln", 111, 222);
            assertEquals(111, root.lstat("ln").uid());
            assertEquals(uid, root.lstat("f").uid()); // not followed
        }
    }

    /** Kernels before 6.6 lack fchmodat2(2); chmod then goes through the descriptor's /proc magic link. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void chmodWithoutFchmodat2(boolean openat2) throws IOException {
        setUp(openat2);
        Files.writeString(rootDir.resolve("f"), "x");
        Files.createSymbolicLink(rootDir.resolve("ln"), outside.resolve("secret"));
        Files.createDirectory(rootDir.resolve("d"));
        Object secretMode = Files.getAttribute(outside.resolve("secret"), "unix:mode");
        boolean saved = ConfinedRoot.fchmodat2Works;
        ConfinedRoot.fchmodat2Works = false;
        try {
            root.chmod("f", 0640);
            root.chmod("d", 01777);
            root.chmod("ln", 0777);
        } finally {
            ConfinedRoot.fchmodat2Works = saved;
        }
        assertEquals(0640, root.lstat("f").mode() & Modes.PERMS);
        assertEquals(01777, root.lstat("d").mode() & Modes.PERMS);
        assertEquals(secretMode, Files.getAttribute(outside.resolve("secret"), "unix:mode"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsRegularFilesAndFollowsOnlyInsideLinks(boolean openat2) throws IOException {
        setUp(openat2);
        Files.createDirectories(rootDir.resolve("a/b"));
        Files.writeString(rootDir.resolve("a/b/data"), "payload");
        Files.createSymbolicLink(rootDir.resolve("dirlink"), Path.of("a"));
        Files.createSymbolicLink(rootDir.resolve("a/b/up"), Path.of("../../a/./b/data"));
        Files.createSymbolicLink(rootDir.resolve("abs"), outside.resolve("secret"));
        Files.createSymbolicLink(rootDir.resolve("rel"), Path.of("../outside/secret"));
        Files.createSymbolicLink(rootDir.resolve("dangling"), Path.of("nothing"));
        Files.createSymbolicLink(rootDir.resolve("loop"), Path.of("loop"));

        assertEquals("payload", read(root.openRead("a/b/data")));
        assertEquals("payload", read(root.openRead("dirlink/b/up")));
        assertEquals("payload", read(root.openRead("a/b/up")));
        ConfinedRoot.OpenFile of = root.openReadWithStat("a/b/up");
        of.channel().close();
        assertEquals(root.lstat("a/b/data").ino(), of.stat().ino());
        assertTrue(root.stat("dirlink").isDir());
        assertTrue(root.lstat("dirlink").isSymlink());
        assertEquals(Set.of("b"), new HashSet<>(root.list("dirlink")));

        for (String link : List.of("abs", "rel")) {
            assertTrue(root.lstat(link).isSymlink(), link);
            assertNull(root.stat(link), link);
            assertThrows(UnsafePathException.class, () -> root.openRead(link), link);
            assertThrows(UnsafePathException.class, () -> root.setTimes(link, 1, 0, false), link);
        }
        assertNull(root.stat("dangling"));
        assertNull(root.stat("missing"));
        assertNull(root.lstat("missing/child"));
        assertNull(root.lstat("a/b/data/child")); // ENOTDIR in a parent
        assertNull(root.stat("a/b/data/child"));
        ErrnoException loop = assertThrows(ErrnoException.class, () -> root.stat("loop"));
        assertEquals(Libc.ELOOP, loop.errno());
        assertThrows(IOException.class, () -> root.openRead("a"));
        ErrnoException missing = assertThrows(ErrnoException.class, () -> root.openRead("missing"));
        assertEquals(Libc.ENOENT, missing.errno());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void parentSymlinkLeadingOutIsRefusedEverywhere(boolean openat2) throws IOException {
        setUp(openat2);
        Files.writeString(rootDir.resolve("inside"), "in");
        Files.createSymbolicLink(rootDir.resolve("abs"), outside);
        Files.createSymbolicLink(rootDir.resolve("rel"), Path.of("../outside"));
        Files.createDirectory(rootDir.resolve("d"));
        Files.createSymbolicLink(rootDir.resolve("d/deep"), Path.of("../../outside"));
        Map<String, Object> before = outsideSnapshot();
        for (String p : List.of("abs", "rel", "d/deep")) {
            List<Op> ops = List.of(
                    () -> root.createTemp(p, "x").close(),
                    () -> root.createTemp(p + "/sub", "x").close(),
                    () -> root.mkdir(p + "/new", 0755),
                    () -> root.symlink("t", p + "/ln"),
                    () -> root.unlink(p + "/secret"),
                    () -> root.rmdir(p + "/sub"),
                    () -> root.deleteRecursively(p + "/sub"),
                    () -> root.rename(p + "/secret", "stolen"),
                    () -> root.rename("inside", p + "/planted"),
                    () -> root.lstat(p + "/secret"),
                    () -> root.stat(p + "/secret"),
                    () -> root.list(p),
                    () -> root.list(p + "/sub"),
                    () -> root.openRead(p + "/secret"),
                    () -> root.readlink(p + "/secret"),
                    () -> root.mknod(p + "/fifo", Modes.S_IFIFO | 0600, 0),
                    () -> root.chmod(p + "/secret", 0777),
                    () -> root.lchown(p + "/secret", 99, 99),
                    () -> root.setTimes(p + "/secret", 5, 0, true),
                    () -> root.setTimes(p + "/secret", 5, 0, false));
            for (int i = 0; i < ops.size(); i++) {
                int n = i;
                assertThrows(UnsafePathException.class, ops.get(i)::run, () -> p + " op #" + n);
            }
        }
        assertEquals(before, outsideSnapshot());
        assertEquals("in", Files.readString(rootDir.resolve("inside")));
    }

    @FunctionalInterface
    interface Op {
        void run() throws IOException;
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../b", "a/..", "/etc/passwd", "/", "a//b", "a/", "a\0b", "./../x"})
    void malformedNamesAreRefusedUpFront(String bad) throws IOException {
        setUp(true);
        Files.createDirectory(rootDir.resolve("a"));
        assertThrows(UnsafePathException.class, () -> root.lstat(bad));
        assertThrows(UnsafePathException.class, () -> root.stat(bad));
        assertThrows(UnsafePathException.class, () -> root.mkdir(bad, 0755));
        assertThrows(UnsafePathException.class, () -> root.openRead(bad));
        assertThrows(UnsafePathException.class, () -> root.createTemp(bad, "f"));
        assertThrows(UnsafePathException.class, () -> root.rename("a", bad));
        assertThrows(UnsafePathException.class, () -> root.symlink("t", bad));
        assertThrows(UnsafePathException.class, () -> root.createTemp("", bad));
        assertTrue(Files.isDirectory(rootDir.resolve("a")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theRootItselfIsNoLeaf(boolean openat2) throws IOException {
        setUp(openat2);
        for (String r : List.of("", ".", "./.")) {
            assertThrows(UnsafePathException.class, () -> root.unlink(r));
            assertThrows(UnsafePathException.class, () -> root.rmdir(r));
            assertThrows(UnsafePathException.class, () -> root.deleteRecursively(r));
            assertThrows(UnsafePathException.class, () -> root.rename(r, "x"));
            assertTrue(root.stat(r).isDir());
        }
        assertTrue(Files.isDirectory(rootDir));
        Files.writeString(rootDir.resolve("f"), "z");
        assertEquals("z", read(root.openRead("./f")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void deleteRecursivelyNeverFollowsSymlinks(boolean openat2) throws IOException {
        setUp(openat2);
        Files.createDirectories(rootDir.resolve("t/a/b"));
        Files.writeString(rootDir.resolve("t/a/b/f"), "f");
        Files.writeString(rootDir.resolve("t/g"), "g");
        Files.createSymbolicLink(rootDir.resolve("t/out"), outside);
        Files.createSymbolicLink(rootDir.resolve("t/a/outsub"), outside.resolve("sub"));
        Files.createSymbolicLink(rootDir.resolve("toplink"), outside.resolve("sub"));
        root.mknod("t/a/fifo", Modes.S_IFIFO | 0600, 0);
        Map<String, Object> before = outsideSnapshot();

        root.deleteRecursively("toplink");
        assertFalse(Files.exists(rootDir.resolve("toplink"), LinkOption.NOFOLLOW_LINKS));
        root.deleteRecursively("t");
        assertFalse(Files.exists(rootDir.resolve("t"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(before, outsideSnapshot());
        assertEquals("keep", Files.readString(outside.resolve("sub/keep")));

        Files.writeString(rootDir.resolve("plain"), "p");
        root.deleteRecursively("plain");
        assertFalse(Files.exists(rootDir.resolve("plain")));
        ErrnoException e = assertThrows(ErrnoException.class, () -> root.deleteRecursively("plain"));
        assertEquals(Libc.ENOENT, e.errno());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tempFilesCommitOrVanish(boolean openat2) throws IOException {
        setUp(openat2);
        Files.createDirectory(rootDir.resolve("d"));
        Files.writeString(rootDir.resolve("d/target"), "old");
        String relPath;
        try (TempFile t = root.createTemp("d", "target")) {
            relPath = t.relPath();
            assertTrue(relPath.matches("d/\\.target\\.[A-Za-z0-9]{6}"), relPath);
            assertEquals(0600, root.lstat(relPath).mode() & Modes.PERMS);
            t.channel().write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
            assertEquals("old", Files.readString(rootDir.resolve("d/target")));
            t.commit("d/target", true);
        }
        assertEquals("new", Files.readString(rootDir.resolve("d/target")));
        assertNull(root.lstat(relPath));
        assertEquals(List.of("target"), root.list("d"));

        try (TempFile t = root.createTemp("d", ".hidden")) {
            assertTrue(t.relPath().matches("d/\\.hidden\\.[A-Za-z0-9]{6}"), t.relPath());
            t.channel().write(ByteBuffer.wrap(new byte[100]));
        }
        assertEquals(List.of("target"), root.list("d")); // closed without commit: nothing left

        TempFile top = root.createTemp("", "top");
        assertTrue(top.relPath().matches("\\.top\\.[A-Za-z0-9]{6}"), top.relPath());
        top.commit("d/moved");
        top.close(); // after a commit: nothing to remove, the committed file stays
        assertTrue(Files.exists(rootDir.resolve("d/moved")));

        String longName = "\u00e9".repeat(200); // 400 bytes in UTF-8
        try (TempFile t = root.createTemp("d", longName)) {
            String leaf = t.relPath().substring(2);
            assertTrue(leaf.getBytes(StandardCharsets.UTF_8).length <= 255, leaf);
            assertTrue(leaf.startsWith(".\u00e9\u00e9"));
            assertNotNull(root.lstat(t.relPath()));
        }

        TempFile failing = root.createTemp("d", "x");
        assertThrows(ErrnoException.class, () -> failing.commit("missing-dir/x"));
        failing.close(); // a failed commit leaves the file for close() to remove
        assertEquals(Set.of("target", "moved"), new HashSet<>(root.list("d")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tempFileRefusesPlantedSymlinkTarget(boolean openat2) throws IOException {
        setUp(openat2);
        // O_EXCL|O_NOFOLLOW: even a guessed name planted as a symlink cannot be written through.
        Files.createSymbolicLink(rootDir.resolve("ln"), outside.resolve("secret"));
        root.rename("ln", "ln2");
        try (TempFile t = root.createTemp("", "ln2")) {
            t.channel().write(ByteBuffer.wrap(new byte[]{1}));
            t.commit("ln2"); // replaces the symlink, never writes through it
        }
        assertFalse(root.lstat("ln2").isSymlink());
        assertEquals("secret", Files.readString(outside.resolve("secret")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void errorsReadLikeRsync(boolean openat2) throws IOException {
        setUp(openat2);
        ErrnoException e = assertThrows(ErrnoException.class, () -> root.unlink("no/such"));
        assertEquals(Libc.ENOENT, e.errno());
        assertEquals("unlink \"no/such\" failed: No such file or directory (2)", e.getMessage());
        Files.writeString(rootDir.resolve("f"), "");
        ErrnoException d = assertThrows(ErrnoException.class, () -> root.list("f"));
        assertEquals(Libc.ENOTDIR, d.errno());
        assertTrue(d.getMessage().endsWith("Not a directory (20)"), d.getMessage());
        UnsafePathException u = assertThrows(UnsafePathException.class, () -> root.lstat("a/../b"));
        assertTrue(u.getMessage().contains("a/../b"), u.getMessage());
    }

    @Test
    void rootMayBeASymlinkResolvedOnce() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Files.writeString(real.resolve("f"), "r");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        try (ConfinedRoot r = ConfinedRoot.open(link)) {
            assertEquals(real.toRealPath(), r.root());
            Files.delete(link);
            Files.createSymbolicLink(link, tmp); // retargeting the name changes nothing for the open root
            assertEquals("r", read(r.openRead("f")));
        }
        Files.writeString(tmp.resolve("file"), "");
        assertThrows(IOException.class, () -> ConfinedRoot.open(tmp.resolve("file")));
        assertThrows(IOException.class, () -> ConfinedRoot.open(tmp.resolve("absent")));
        ConfinedRoot closed = ConfinedRoot.open(real);
        closed.close();
        assertThrows(IOException.class, () -> closed.lstat("f"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void concurrentUseFromSeveralThreads(boolean openat2) throws Exception {
        setUp(openat2);
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String dir = "t" + t;
                fs.add(pool.submit(() -> {
                    root.mkdir(dir, 0755);
                    for (int i = 0; i < 100; i++) {
                        try (TempFile tf = root.createTemp(dir, "f" + i)) {
                            tf.channel().write(ByteBuffer.wrap((dir + i).getBytes(StandardCharsets.UTF_8)));
                            tf.commit(dir + "/f" + i);
                        }
                        root.setTimes(dir + "/f" + i, 1000 + i, i, true);
                        assertEquals(dir + i, read(root.openRead(dir + "/f" + i)));
                        assertEquals(1000 + i, root.stat(dir + "/f" + i).mtimeSec());
                    }
                    assertEquals(100, root.list(dir).size());
                    root.deleteRecursively(dir);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), root.list(""));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void noDescriptorLeaks(boolean openat2) throws IOException {
        setUp(openat2);
        Files.createSymbolicLink(rootDir.resolve("out"), outside);
        Files.createSymbolicLink(rootDir.resolve("loop"), Path.of("loop"));
        Op batch = () -> {
            root.mkdir("d", 0755);
            root.mkdir("d/e", 0755);
            Files.writeString(rootDir.resolve("d/e/f"), "f");
            root.stat("d/e/f");
            root.lstat("d/e/f");
            root.list("d/e");
            read(root.openRead("d/e/f"));
            root.chmod("d/e/f", 0600);
            root.setTimes("d/e/f", 1, 1, false);
            root.createTemp("d", "t").close();
            tryIgnoring(() -> root.openRead("out/secret"));
            tryIgnoring(() -> root.stat("loop/x"));
            tryIgnoring(() -> root.unlink("d/missing/x"));
            tryIgnoring(() -> root.createTemp("d/e/f", "x"));
            root.deleteRecursively("d");
        };
        batch.run(); // warm up class loading, which opens descriptors of its own
        long before = openDescriptors();
        for (int i = 0; i < 20; i++) {
            batch.run();
        }
        assertEquals(before, openDescriptors());
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** CVE-2026-29518-style TOCTOU: a parent flipped between a directory and a symlink pointing out. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void parentFlippedToSymlinkNeverLeadsOut(boolean openat2) throws Exception {
        setUp(openat2);
        Path dir = rootDir.resolve("dir");
        Path away = rootDir.resolve("dir.real");
        Path flip = rootDir.resolve("dir.link");
        Files.createDirectory(dir);
        Files.createSymbolicLink(flip, outside.resolve("sub"));
        Files.setPosixFilePermissions(outside.resolve("sub/keep"), PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, Object> before = outsideSnapshot();
        AtomicBoolean stop = new AtomicBoolean();
        Thread flipper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.move(dir, away);
                    Files.move(flip, dir);
                    Files.move(dir, flip);
                    Files.move(away, dir);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        flipper.start();
        try {
            for (int i = 0; i < 1500; i++) {
                tryIgnoring(() -> {
                    try (TempFile t = root.createTemp("dir", "keep")) {
                        t.channel().write(ByteBuffer.wrap(new byte[]{'X'}));
                        t.commit("dir/keep");
                    }
                });
                tryIgnoring(() -> root.chmod("dir/keep", 0777));
                tryIgnoring(() -> root.setTimes("dir/keep", 1, 0, false));
                tryIgnoring(() -> root.lchown("dir/keep", 99, 99));
                tryIgnoring(() -> root.mkdir("dir/newdir", 0755));
                tryIgnoring(() -> root.symlink("x", "dir/newlink"));
                tryIgnoring(() -> root.deleteRecursively("dir/keep"));
                tryIgnoring(() -> root.unlink("dir/newlink"));
                tryIgnoring(() -> root.rmdir("dir/newdir"));
            }
        } finally {
            stop.set(true);
            flipper.join();
        }
        assertEquals(before, outsideSnapshot());
    }

    private static void tryIgnoring(Op op) {
        try {
            op.run();
        } catch (IOException expected) {
            // Refusals and ENOENT are the point of the race; only what lands outside matters.
        }
    }

    private static String read(FileChannel ch) throws IOException {
        try (ch) {
            ByteBuffer b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            return new String(b.array(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void strictRootRefusesSymlinkedParentsEvenInsideTheRoot(boolean openat2) throws IOException {
        setUp(openat2);
        root.close();
        root = ConfinedRoot.open(rootDir, openat2, true);
        Files.createDirectory(rootDir.resolve("real"));
        Files.createSymbolicLink(rootDir.resolve("inner"), Path.of("real"));
        Files.createSymbolicLink(rootDir.resolve("out"), outside);
        for (String parent : new String[] {"inner", "out"}) {
            assertThrows(IOException.class, () -> root.createTemp(parent, "f").close(), parent);
            assertThrows(IOException.class, () -> root.mkdir(parent + "/d", 0755), parent);
            assertThrows(IOException.class, () -> root.symlink("x", parent + "/l"), parent);
        }
        try (var s = Files.list(rootDir.resolve("real"))) {
            assertEquals(0, s.count(), "nothing may be written through the in-root link");
        }
        // The links themselves can still be examined and removed.
        assertTrue(root.lstat("inner").isSymlink());
        assertEquals("real", root.readlink("inner"));
        root.unlink("inner");
        assertNull(root.lstat("inner"));
        // Real directories work as usual.
        try (TempFile t = root.createTemp("real", "f")) {
            t.commit("real/f");
        }
        assertTrue(root.lstat("real/f").isRegular());
    }
}
