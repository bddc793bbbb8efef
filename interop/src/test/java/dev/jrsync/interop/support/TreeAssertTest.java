package dev.jrsync.interop.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeAssertTest {

    @TempDir
    Path tmp;

    @Test
    void standardTreeIsDeterministicAndHasWhatTheScenariosNeed() throws Exception {
        Path a = TestTree.standard(tmp.resolve("a"));
        Path b = TestTree.standard(tmp.resolve("b"));
        TreeAssert.assertSameTree(a, b);
        SortedMap<String, TreeAssert.Entry> s = TreeAssert.snapshot(a);
        assertEquals(TestTree.BIG_SIZE, s.get(TestTree.BIG_FILE).size());
        assertEquals(TreeAssert.Type.FILE, s.get(TestTree.UNICODE_FILE).type());
        assertEquals(TreeAssert.Entry.symlink(TestTree.ABSOLUTE_TARGET), s.get(TestTree.ABSOLUTE_LINK));
        assertEquals(0700, s.get("a/private").mode());
        assertEquals(0600, s.get("secret.txt").mode());
        assertEquals(0755, s.get("run.sh").mode());
        assertEquals(0755, s.get(".").mode());
        assertTrue(s.keySet().stream().anyMatch(k -> k.split("/").length >= 4), "nesting depth");
        // Every file and directory carries a fixed (2020) mtime, not "now".
        s.values().stream().filter(e -> e.type() != TreeAssert.Type.SYMLINK)
                .forEach(e -> assertTrue(e.mtimeSeconds() >= 1_600_000_000L && e.mtimeSeconds() < 1_600_001_000L, e.toString()));
        assertEquals(123_456_789, Files.getLastModifiedTime(a.resolve(TestTree.BIG_FILE)).toInstant().getNano());
    }

    @Test
    void modifyForDeltaChangesContentButNotSize() throws Exception {
        Path a = TestTree.standard(tmp.resolve("a"));
        Path b = TestTree.standard(tmp.resolve("b"));
        TestTree.modifyForDelta(b);
        List<String> diffs = TreeAssert.differences(TreeAssert.snapshot(a), TreeAssert.snapshot(b));
        assertTrue(diffs.contains(TestTree.BIG_FILE + ": content differs at equal size " + TestTree.BIG_SIZE), diffs.toString());
        assertTrue(diffs.stream().anyMatch(d -> d.startsWith(TestTree.ADDED_BY_DELTA + ": unexpected")), diffs.toString());
        assertTrue(diffs.stream().anyMatch(d -> d.startsWith(TestTree.REMOVED_BY_DELTA + ": missing")), diffs.toString());
    }

    @Test
    void reportsEveryKindOfDifference() throws Exception {
        Path a = TestTree.standard(tmp.resolve("a"));
        Path b = TestTree.standard(tmp.resolve("b"));
        Files.setPosixFilePermissions(b.resolve("run.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(b.resolve("empty.txt"), FileTime.fromMillis(5_000));
        Files.writeString(b.resolve("secret.txt"), "X", StandardOpenOption.APPEND);
        Files.delete(b.resolve("links/rel"));
        Files.createSymbolicLink(b.resolve("links/rel"), Path.of("elsewhere"));
        Files.delete(b.resolve("a/top.txt"));
        Files.createDirectory(b.resolve("a/top.txt"));
        Files.setLastModifiedTime(b, FileTime.fromMillis(7_000));

        AssertionError e = assertThrows(AssertionError.class, () -> TreeAssert.assertSameTree(a, b));
        String m = e.getMessage();
        for (String expected : List.of("run.sh: mode 0644 (expected: 0755)", "empty.txt: mtime 5 (expected: ",
                "secret.txt: size 16 (expected: 15)", "links/rel: link target \"elsewhere\" (expected: \"../a/b/c/mid.txt\")",
                "a/top.txt: type DIRECTORY (expected: FILE)", ".: mtime 7 (expected: ")) {
            assertTrue(m.contains(expected), "missing \"" + expected + "\" in:\n" + m);
        }
    }

    @Test
    void listsAtMostFiftyDifferences() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        for (int i = 0; i < 60; i++) {
            Files.writeString(a.resolve("f" + i), "x");
        }
        Files.setLastModifiedTime(b, Files.getLastModifiedTime(a));
        AssertionError e = assertThrows(AssertionError.class, () -> TreeAssert.assertSameTree(a, b));
        assertTrue(e.getMessage().contains("60 difference(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("... and 10 more"), e.getMessage());
        assertEquals(52, e.getMessage().lines().count());
    }

    @Test
    void snapshotCanBeEditedForExpectedChanges() throws Exception {
        Path a = TestTree.standard(tmp.resolve("a"));
        Path b = TestTree.standard(tmp.resolve("b"));
        Files.delete(b.resolve(TestTree.ABSOLUTE_LINK));
        Files.createSymbolicLink(b.resolve(TestTree.ABSOLUTE_LINK), Path.of("nonexistent/x"));
        Files.setLastModifiedTime(b.resolve("links"), Files.getLastModifiedTime(a.resolve("links")));
        Map<String, TreeAssert.Entry> expected = TreeAssert.snapshot(a);
        assertThrows(AssertionError.class, () -> TreeAssert.assertSameTree(expected, b));
        expected.put(TestTree.ABSOLUTE_LINK, TreeAssert.Entry.symlink("nonexistent/x"));
        TreeAssert.assertSameTree(expected, b);
    }
}
