package dev.jrsync.interop.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two directory trees the way the interop suite defines "the same result": set of relative names, entry
 * type, file bytes (SHA-256), permission bits (07777), mtime to the second for files and directories, and symlink
 * targets. Symlinks are never followed; their own mode and mtime are not compared (Linux gives every symlink mode
 * 0777, and preserving a symlink's mtime is optional in rsync). Owners are not compared. The top directory itself
 * (name ".") is compared too: {@code rsync -a src/ dst/} sets its mode and mtime.
 *
 * <p>Stateless and thread-safe; blocks on file I/O.
 */
public final class TreeAssert {

    private static final int MAX_REPORTED = 50;
    private static final String TOP = ".";

    private TreeAssert() {}

    /** Kind of a directory entry, as rsync distinguishes them. */
    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    /**
     * What is compared about one entry. {@code content} is the SHA-256 of a file, the target of a symlink, empty
     * otherwise; {@code mode} and {@code mtimeSeconds} are -1 for symlinks.
     */
    public record Entry(Type type, int mode, long mtimeSeconds, long size, String content) {
        /** The entry a symlink to {@code target} yields, for editing an expected snapshot. */
        public static Entry symlink(String target) {
            return new Entry(Type.SYMLINK, -1, -1, target.length(), target);
        }
    }

    /** Reads every entry under {@code root} (including {@code root} itself as "."), keyed by relative path. */
    public static SortedMap<String, Entry> snapshot(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("tree root: " + root + " (expected: an existing directory)");
        }
        SortedMap<String, Entry> entries = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                entries.put(relative(root, dir), entry(dir, attrs));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                entries.put(relative(root, file), entry(file, attrs));
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }

    /** Fails listing every difference (the first 50) between the trees under {@code expected} and {@code actual}. */
    public static void assertSameTree(Path expected, Path actual) throws IOException {
        assertSameTree(expected.toString(), snapshot(expected), actual);
    }

    /**
     * As {@link #assertSameTree(Path, Path)} against a snapshot, typically {@link #snapshot} of a source edited
     * where a transfer legitimately changes something (a daemon without chroot strips the leading slash of
     * absolute symlink targets, for example).
     */
    public static void assertSameTree(Map<String, Entry> expected, Path actual) throws IOException {
        assertSameTree("(snapshot)", expected, actual);
    }

    private static void assertSameTree(String expectedName, Map<String, Entry> expected, Path actual)
            throws IOException {
        List<String> diffs = differences(expected, snapshot(actual));
        if (!diffs.isEmpty()) {
            StringBuilder sb = new StringBuilder("trees differ: expected " + expectedName + ", actual " + actual
                    + ", " + diffs.size() + " difference(s)");
            diffs.stream().limit(MAX_REPORTED).forEach(d -> sb.append("\n  ").append(d));
            if (diffs.size() > MAX_REPORTED) {
                sb.append("\n  ... and ").append(diffs.size() - MAX_REPORTED).append(" more");
            }
            throw new AssertionError(sb.toString());
        }
    }

    /** Human-readable differences between two snapshots, in path order; empty when they are the same. */
    public static List<String> differences(Map<String, Entry> expected, Map<String, Entry> actual) {
        List<String> diffs = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        for (String name : names) {
            Entry e = expected.get(name);
            Entry a = actual.get(name);
            if (a == null) {
                diffs.add(name + ": missing (expected " + describe(e) + ")");
            } else if (e == null) {
                diffs.add(name + ": unexpected " + describe(a));
            } else if (e.type() != a.type()) {
                diffs.add(name + ": type " + a.type() + " (expected: " + e.type() + ")");
            } else {
                if (e.mode() != a.mode()) {
                    diffs.add(name + ": mode " + octal(a.mode()) + " (expected: " + octal(e.mode()) + ")");
                }
                if (e.mtimeSeconds() != a.mtimeSeconds()) {
                    diffs.add(name + ": mtime " + a.mtimeSeconds() + " (expected: " + e.mtimeSeconds() + ")");
                }
                if (e.type() == Type.SYMLINK) {
                    if (!e.content().equals(a.content())) {
                        diffs.add(name + ": link target \"" + a.content() + "\" (expected: \"" + e.content() + "\")");
                    }
                } else if (e.size() != a.size()) {
                    diffs.add(name + ": size " + a.size() + " (expected: " + e.size() + ")");
                } else if (!e.content().equals(a.content())) {
                    diffs.add(name + ": content differs at equal size " + a.size());
                }
            }
        }
        return diffs;
    }

    private static Entry entry(Path p, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) {
            return Entry.symlink(Files.readSymbolicLink(p).toString());
        }
        int mode = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
        long mtime = Math.floorDiv(attrs.lastModifiedTime().toMillis(), 1000L);
        if (attrs.isRegularFile()) {
            return new Entry(Type.FILE, mode, mtime, attrs.size(), sha256(p));
        }
        return new Entry(attrs.isDirectory() ? Type.DIRECTORY : Type.OTHER, mode, mtime, 0, "");
    }

    private static String relative(Path root, Path p) {
        String rel = root.relativize(p).toString();
        return rel.isEmpty() ? TOP : rel;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String describe(Entry e) {
        return switch (e.type()) {
            case FILE -> "file of " + e.size() + " bytes";
            case DIRECTORY -> "directory";
            case SYMLINK -> "symlink -> " + e.content();
            case OTHER -> "special file";
        };
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
