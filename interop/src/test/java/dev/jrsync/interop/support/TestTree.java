package dev.jrsync.interop.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Builds the deterministic source trees the interop scenarios transfer. Stateless and thread-safe; blocks on file
 * I/O (the standard tree takes well under a second to write).
 *
 * <p>Everything is fixed: contents come from fixed seeds, modes are set explicitly (the umask does not matter) and
 * every file and directory gets a fixed mtime, so two trees built the same way compare equal with {@link TreeAssert}.
 */
public final class TestTree {

    /** Relative path of the large file; big enough for many delta blocks, not a multiple of any block size. */
    public static final String BIG_FILE = "big.bin";
    /** Size of {@link #BIG_FILE}: 20 MiB plus an odd tail. */
    public static final long BIG_SIZE = 20L * 1024 * 1024 + 4321;
    /** Bytes of {@link #BIG_FILE} that {@link #modifyForDelta} rewrites in place. */
    public static final int DELTA_BYTES = 6000;
    /** A name with spaces and non-ASCII characters (NFC). */
    public static final String UNICODE_FILE = "dir with space/ünïcødé 名前.txt";
    /** A file {@link #modifyForDelta} deletes. */
    public static final String REMOVED_BY_DELTA = "a/b/c/d/leaf.txt";
    /** A file {@link #modifyForDelta} adds. */
    public static final String ADDED_BY_DELTA = "added.txt";
    /** The absolute symlink. */
    public static final String ABSOLUTE_LINK = "links/abs";
    /** Target of {@link #ABSOLUTE_LINK}: a fixed absolute string that exists nowhere (so no test follows it out). */
    public static final String ABSOLUTE_TARGET = "/nonexistent/jrsync-interop/abs-target";

    private static final long BASE = 1_600_000_000L;
    private static final long BIG_SEED = 0x5EED_0001L;
    private static final long DELTA_SEED = 0x5EED_0002L;

    private TestTree() {}

    /**
     * Writes the standard tree into {@code root} (created if missing, expected empty): nested directories four
     * levels deep, empty files, {@link #BIG_FILE}, {@link #UNICODE_FILE}, relative, absolute and dangling symlinks,
     * file modes 0600/0644/0755, directory modes 0755/0700, an empty directory, fixed mtimes (some with nanoseconds).
     *
     * @return {@code root}
     */
    public static Path standard(Path root) throws IOException {
        return build(root, big -> bigFile(big, BIG_SIZE, BIG_SEED));
    }

    /** Size of {@link #compact}'s {@link #BIG_FILE}. */
    public static final long COMPACT_BIG_SIZE = 2L * 1024 * 1024 + 777;

    /**
     * The {@link #standard} tree with a smaller, half compressible {@link #BIG_FILE} (64 KiB of
     * generated text and 64 KiB of random bytes alternating, {@link #COMPACT_BIG_SIZE} bytes) and
     * about 300 KB of generated log text in {@code a/log.txt}: for matrices that run many cases.
     * {@link #modifyForDelta} applies to it as well.
     */
    public static Path compact(Path root) throws IOException {
        build(root, big -> {
            SplittableRandom random = new SplittableRandom(BIG_SEED);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            byte[] noise = new byte[64 * 1024];
            for (int block = 0; bytes.size() < COMPACT_BIG_SIZE; block++) {
                if (block % 2 == 0) {
                    bytes.writeBytes(logText(64 * 1024, random));
                } else {
                    random.nextBytes(noise);
                    bytes.writeBytes(noise);
                }
            }
            Files.write(big, java.util.Arrays.copyOf(bytes.toByteArray(), (int) COMPACT_BIG_SIZE));
        });
        file(root, "a/log.txt", logText(300_000, new SplittableRandom(BIG_SEED + 1)), "rw-r--r--", BASE + 11, 0);
        fixDirectories(root);
        return root;
    }

    /** {@code n} bytes of log-like lines: varied, so they compress like text, not like a repeated line. */
    private static byte[] logText(int n, SplittableRandom random) {
        String[] words = {"GET", "POST", "/index.html", "/api/v1/items", "200", "404", "user", "session", "ok",
                "timeout", "retry", "cache", "miss", "hit", "backup", "rsync", "INFO", "WARN", "ERROR"};
        StringBuilder sb = new StringBuilder(n + 100);
        while (sb.length() < n) {
            sb.append("2026-11-").append(10 + random.nextInt(20)).append(' ').append(random.nextInt(86_400))
                    .append(' ');
            int count = 3 + random.nextInt(8);
            for (int i = 0; i < count; i++) {
                sb.append(words[random.nextInt(words.length)]).append(' ');
            }
            sb.append(random.nextInt(100_000)).append('\n');
        }
        return sb.substring(0, n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @FunctionalInterface
    private interface BigWriter {
        void write(Path big) throws IOException;
    }

    private static Path build(Path root, BigWriter bigWriter) throws IOException {
        Files.createDirectories(root);
        try (Stream<Path> s = Files.list(root)) {
            if (s.findAny().isPresent()) {
                throw new IOException("test tree root: " + root + " is not empty (expected: empty or missing)");
            }
        }
        file(root, "empty.txt", new byte[0], "rw-r--r--", BASE + 1, 0);
        bigWriter.write(root.resolve(BIG_FILE));
        perms(root.resolve(BIG_FILE), "rw-r--r--");
        time(root.resolve(BIG_FILE), BASE + 2, 123_456_789);
        file(root, "run.sh", text("#!/bin/sh\necho hello\n"), "rwxr-xr-x", BASE + 3, 0);
        file(root, "secret.txt", text("not for others\n"), "rw-------", BASE + 4, 500_000_000);
        file(root, UNICODE_FILE, text("ünïcødé 名前\n"), "rw-r--r--", BASE + 5, 0);
        file(root, "dir with space/empty inner.txt", new byte[0], "rw-r--r--", BASE + 6, 1);
        file(root, "a/top.txt", text("level 1\n"), "rw-r--r--", BASE + 7, 0);
        file(root, "a/b/c/mid.txt", text("level 3\n".repeat(100)), "rw-r--r--", BASE + 8, 999_999_999);
        file(root, REMOVED_BY_DELTA, text("level 4\n"), "rw-r--r--", BASE + 9, 0);
        file(root, "a/private/key.txt", text("k3y\n"), "rw-------", BASE + 10, 0);
        Files.createDirectories(root.resolve("empty-dir"));
        Files.createDirectories(root.resolve("links"));
        Files.createSymbolicLink(root.resolve("links/rel"), Path.of("../a/b/c/mid.txt"));
        Files.createSymbolicLink(root.resolve(ABSOLUTE_LINK), Path.of(ABSOLUTE_TARGET));
        Files.createSymbolicLink(root.resolve("links/dangling"), Path.of("no/such/target"));
        fixDirectories(root);
        return root;
    }

    /**
     * Changes {@code root} (a {@link #standard} tree) the way a delta scenario needs: {@link #DELTA_BYTES} bytes in
     * the middle of {@link #BIG_FILE} rewritten in place (same size, new mtime), {@link #ADDED_BY_DELTA} added and
     * {@link #REMOVED_BY_DELTA} removed. Directory mtimes are set to fixed values again afterwards.
     */
    public static void modifyForDelta(Path root) throws IOException {
        Path big = root.resolve(BIG_FILE);
        long size = Files.size(big);
        if (size < 2L * DELTA_BYTES) {
            throw new IOException(big + ": size " + size + " (expected: >= " + 2 * DELTA_BYTES + ")");
        }
        byte[] patch = new byte[DELTA_BYTES];
        new SplittableRandom(DELTA_SEED).nextBytes(patch);
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(patch);
            long pos = size / 2;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
        }
        time(big, BASE + 100, 0);
        file(root, ADDED_BY_DELTA, text("added for the delta run\n"), "rw-r--r--", BASE + 101, 0);
        Files.delete(root.resolve(REMOVED_BY_DELTA));
        Files.setLastModifiedTime(root.resolve(REMOVED_BY_DELTA).getParent(), FileTime.fromMillis((BASE + 102) * 1000));
        Files.setLastModifiedTime(root, FileTime.fromMillis((BASE + 103) * 1000));
    }

    /** Writes {@code size} pseudo-random bytes from {@code seed} to {@code file}, replacing it. */
    public static void bigFile(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(chunk);
                ByteBuffer buf = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, left));
                left -= buf.remaining();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
    }

    /** Dir modes and mtimes go last and bottom-up: creating an entry would otherwise bump its parent's mtime. */
    private static void fixDirectories(Path root) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(root)) {
            dirs = s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Comparator.naturalOrder()))
                    .toList();
        }
        int i = 0;
        for (Path dir : dirs) {
            boolean isPrivate = dir.getFileName() != null && dir.getFileName().toString().equals("private");
            perms(dir, isPrivate ? "rwx------" : "rwxr-xr-x");
            time(dir, BASE + 200 + i, i % 2 == 0 ? 0 : 250_000_000L * i % 1_000_000_000L);
            i++;
        }
    }

    private static void file(Path root, String rel, byte[] content, String perms, long seconds, long nanos)
            throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        perms(p, perms);
        time(p, seconds, nanos);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void perms(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private static void time(Path p, long seconds, long nanos) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(seconds, nanos)));
    }
}
