package dev.jrsync.protocol.flist;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.jrsync.protocol.flist.FileEntry.*;
import static dev.jrsync.protocol.fs.Modes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileListSortTest {
    private static FileEntry f(String n) {
        return FileEntry.of(n, S_IFREG | 0644, 0, 0);
    }

    private static FileEntry d(String n) {
        return FileEntry.of(n, S_IFDIR | 0755, 0, 0);
    }

    private static List<String> names(List<FileEntry> l) {
        return l.stream().map(e -> e == null ? null : e.name() + (e.isDir() && !e.name().equals(".") ? "/" : ""))
                .toList();
    }

    private static List<FileEntry> example() {
        return List.of(d("."), f("a.txt"), f("link"), f("z"), d("sub"), f("sub/big.bin"), d("sub/q"), f("sub/q/x"),
                d("tmp"));
    }

    /** §5.7: files before directories at every level, a directory right before its contents. */
    @Test
    void protocol29OrderFromTheReference() {
        List<FileEntry> shuffled = new ArrayList<>(example());
        for (long seed = 0; seed < 20; seed++) {
            Collections.shuffle(shuffled, new Random(seed));
            assertEquals(List.of(".", "a.txt", "link", "z", "sub/", "sub/big.bin", "sub/q/", "sub/q/x", "tmp/"),
                    names(FileListSort.sorted(shuffled, 32)));
        }
    }

    @Test
    void protocol28IsPlainByteOrder() {
        List<FileEntry> shuffled = new ArrayList<>(example());
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(List.of(".", "a.txt", "link", "sub/", "sub/big.bin", "sub/q/", "sub/q/x", "tmp/", "z"),
                names(FileListSort.sorted(shuffled, 28)));
    }

    @Test
    void subtleCases() {
        // Files first; then "a.d/" before "a/" because '.' (0x2e) < '/' (0x2f).
        assertEquals(List.of("b", "a.d/", "a/", "a/x"),
                names(FileListSort.sorted(List.of(d("a.d"), f("a/x"), d("a"), f("b")), 32)));
        // With 29+ a dir compares as "name/": "a/" vs "a.d/" -> '/' (0x2f) > '.' (0x2e).
        assertEquals(List.of("a.d/", "a/"), names(FileListSort.sorted(List.of(d("a"), d("a.d")), 32)));
        // Byte order (UTF-8), not UTF-16 order: U+FF5E (ef bd 9e) < U+1F600 (f0 9f 98 80).
        assertEquals(List.of("\uff5e", "\ud83d\ude00"),
                names(FileListSort.sorted(List.of(f("\ud83d\ude00"), f("\uff5e")), 32)));
        assertTrue(FileListSort.compare(d("."), f("a"), 32) < 0);
        assertEquals(0, FileListSort.compare(f("x/y"), f("x/y"), 32));
        assertEquals(0, FileListSort.compare(d("x/y"), d("x/y"), 28));
    }

    @Test
    void stableForEqualNames() {
        FileEntry first = FileEntry.of("x", S_IFREG | 0600, 1, 0);
        FileEntry second = FileEntry.of("x", S_IFREG | 0644, 2, 0);
        List<FileEntry> s = FileListSort.sorted(List.of(f("y"), first, second, f("a")), 32);
        assertSame(first, s.get(1));
        assertSame(second, s.get(2));
    }

    @Test
    void cleanKeepsFirstOfEqualFiles() {
        FileEntry first = FileEntry.of("x", S_IFREG | 0600, 1, 0);
        List<FileEntry> s = FileListSort.sorted(List.of(first, FileEntry.of("x", S_IFREG | 0644, 2, 0), f("y")), 32);
        List<FileEntry> c = FileListSort.clean(s, 32);
        assertEquals(3, c.size());
        assertSame(first, c.get(0));
        assertNull(c.get(1));
        assertEquals("y", c.get(2).name());
    }

    @Test
    void directoryBeatsAnEarlierFileOfTheSameName() {
        // 29+: "x" (file) and "x/" (dir) are not neighbours once sorted; the dir still wins.
        List<FileEntry> s = FileListSort.sorted(List.of(d("x"), f("x"), f("y"), f("x/in")), 32);
        assertEquals(Arrays.asList("x", "y", "x/", "x/in"), names(s));
        assertEquals(Arrays.asList(null, "y", "x/", "x/in"), names(FileListSort.clean(s, 32)));
        // < 29: they compare equal; the directory wins there too.
        List<FileEntry> s28 = FileListSort.sorted(List.of(f("x"), d("x"), f("y")), 28);
        assertEquals(Arrays.asList(null, "x/", "y"), names(FileListSort.clean(s28, 28)));
    }

    @Test
    void duplicateDirectoriesMergeContentAndTopFlags() {
        FileEntry implied = d("p").withXflags(Xmit.XMIT_TOP_DIR | Xmit.XMIT_NO_CONTENT_DIR);
        FileEntry content = d("p").withXflags(0);
        List<FileEntry> c = FileListSort.clean(FileListSort.sorted(List.of(implied, content), 32), 32);
        assertNull(c.get(1));
        assertTrue(c.get(0).isContentDir());
        assertTrue(!c.get(0).isImpliedDir() && !c.get(0).isTopDir());

        FileEntry top = d("p").withXflags(Xmit.XMIT_TOP_DIR);
        List<FileEntry> c2 = FileListSort.clean(List.of(content, top), 32);
        assertTrue(c2.get(0).isTopDir());
        assertNull(c2.get(1));

        List<FileEntry> c3 = FileListSort.clean(List.of(implied, implied.withName("p")), 32);
        assertTrue(c3.get(0).isImpliedDir());
    }

    @Test
    void cleanLeavesNullsAndDistinctNamesAlone() {
        List<FileEntry> in = Arrays.asList(d("."), null, f("a"), f("b"));
        assertEquals(Arrays.asList(".", null, "a", "b"), names(FileListSort.clean(in, 31)));
    }
}
