package dev.jrsync.protocol.fs;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static dev.jrsync.protocol.fs.Libc.*;

/**
 * All file access of a sender, generator or receiver, confined to one directory (design.md §5).
 * The root is held as an {@code O_PATH} descriptor; every name is resolved from it by
 * {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)} (or, on kernels without openat2, an
 * equivalent user-space walk over {@code O_NOFOLLOW} descriptors), and the operation itself runs
 * with a {@code *at} call on the held parent descriptor and a single final name. Symlinks are followed
 * only while they stay beneath the root; a final component is followed only where the method says so.
 * Thread-safe (descriptor-based, never the process cwd); every method blocks in system calls.
 */
public final class ConfinedRoot implements Closeable {
    private static final int MAX_SYMLINKS = 40;
    private static final int MAX_RETRIES = 64;
    private static final int TEMP_ATTEMPTS = 100;
    private static final String TEMP_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final long DIRENT_BUFFER = 32 * 1024;
    /** Cleared once the kernel says it lacks fchmodat2(2); chmod then goes through /proc instead. */
    static volatile boolean fchmodat2Works = true;

    private final Path root;
    private final int rootFd;
    private final boolean openat2;
    /** Strict roots follow no symlink at all while resolving a name (receivers: see {@link #openStrict}). */
    private final boolean noSymlinks;
    /** Readers are operations; the writer is close(), so the root descriptor is never closed under a caller. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private ConfinedRoot(Path root, int rootFd, boolean openat2, boolean noSymlinks) {
        this.root = root;
        this.rootFd = rootFd;
        this.openat2 = openat2;
        this.noSymlinks = noSymlinks;
    }

    /** Opens {@code root}, which must be a directory; a symlink there is resolved once, now. */
    public static ConfinedRoot open(Path root) throws IOException {
        return open(root, true, false);
    }

    /**
     * A root for a receiver: no symlink is followed anywhere while resolving a name, not even one
     * that stays beneath the root, so a peer's "link/file" is refused (ELOOP) instead of being
     * written through the link. Operations on a symlink itself (lstat, readlink, unlink, lchown,
     * no-follow times) still work.
     */
    public static ConfinedRoot openStrict(Path root) throws IOException {
        return open(root, true, true);
    }

    static ConfinedRoot open(Path root, boolean allowOpenat2) throws IOException {
        return open(root, allowOpenat2, false);
    }

    /** {@code allowOpenat2 = false} forces the user-space walk, so tests cover both resolvers. */
    static ConfinedRoot open(Path root, boolean allowOpenat2, boolean noSymlinks) throws IOException {
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            throw new IOException("confined file access needs /proc mounted (to reopen descriptors as channels)");
        }
        Path real = root.toRealPath();
        int fd = Libc.openat(AT_FDCWD, real.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) {
            throw new ErrnoException("open root", real.toString(), -fd);
        }
        boolean useOpenat2 = false;
        if (allowOpenat2) {
            int probe = Libc.openat2(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
                    RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
            if (probe >= 0) {
                Libc.close(probe);
                useOpenat2 = true;
            } else if (probe != -ENOSYS && probe != -EPERM) { // EPERM: a seccomp filter that predates openat2
                Libc.close(fd);
                throw new ErrnoException("openat2 root", real.toString(), -probe);
            }
        }
        return new ConfinedRoot(real, fd, useOpenat2, noSymlinks);
    }

    /** The root's real path, as resolved by {@link #open(Path)}; for messages only, never for access. */
    public Path root() {
        return root;
    }

    /** True when names are resolved by openat2(2) rather than the user-space walk. */
    boolean usesOpenat2() {
        return openat2;
    }

    /** The final component is never followed; null if it does not exist (ENOENT, or ENOTDIR in a parent). */
    public FileStat lstat(String rel) throws IOException {
        RelPath p = RelPath.parse(rel);
        enter();
        try {
            if (p.isRoot()) {
                return statAt("lstat", rel, rootFd, ".", AT_SYMLINK_NOFOLLOW);
            }
            int dfd = resolve(p.parent(), O_DIRECTORY);
            if (dfd == -ENOENT || dfd == -ENOTDIR) {
                return null;
            }
            checkResolved("lstat", rel, dfd);
            try {
                return statAt("lstat", rel, dfd, p.leaf(), AT_SYMLINK_NOFOLLOW);
            } finally {
                Libc.close(dfd);
            }
        } finally {
            exit();
        }
    }

    /**
     * Follows a final symlink while it stays beneath the root; null if missing, dangling or escaping.
     * A parent symlink leading out is refused ({@link UnsafePathException}), as everywhere.
     */
    public FileStat stat(String rel) throws IOException {
        RelPath p = RelPath.parse(rel);
        enter();
        try {
            if (!p.isRoot()) {
                // Resolving the parent alone tells an escaping parent (refused) from an escaping final link (null).
                int dfd = resolve(p.parent(), O_DIRECTORY);
                if (dfd == -ENOENT || dfd == -ENOTDIR) {
                    return null;
                }
                checkResolved("stat", rel, dfd);
                Libc.close(dfd);
            }
            int fd = resolve(p, 0);
            if (fd == -ENOENT || fd == -ENOTDIR || fd == -EXDEV) {
                return null;
            }
            checkResolved("stat", rel, fd);
            try {
                return fstat("stat", rel, fd);
            } finally {
                Libc.close(fd);
            }
        } finally {
            exit();
        }
    }

    /** The names in a directory, without "." and "..", unsorted. A final symlink is followed beneath the root. */
    public List<String> list(String relDir) throws IOException {
        RelPath p = RelPath.parse(relDir);
        enter();
        try {
            int fd = resolve(p, O_DIRECTORY);
            checkResolved("opendir", relDir, fd);
            try {
                int rfd = Libc.openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
                if (rfd < 0) {
                    throw new ErrnoException("opendir", relDir, -rfd);
                }
                try {
                    return readDir(relDir, rfd);
                } finally {
                    Libc.close(rfd);
                }
            } finally {
                Libc.close(fd);
            }
        } finally {
            exit();
        }
    }

    /** A regular file opened for reading, following a final symlink only beneath the root. */
    public FileChannel openRead(String rel) throws IOException {
        return openReadWithStat(rel).channel();
    }

    /** A channel and the stat of the very inode it reads, for callers that must check dev/ino against a file list. */
    public record OpenFile(FileChannel channel, FileStat stat) {
    }

    /** Like {@link #openRead(String)}, plus the stat of the opened inode (immune to a swap after the open). */
    public OpenFile openReadWithStat(String rel) throws IOException {
        RelPath p = RelPath.parse(rel);
        enter();
        try {
            if (!p.isRoot()) {
                int dfd = resolve(p.parent(), O_DIRECTORY);
                checkResolved("open", rel, dfd);
                Libc.close(dfd);
            }
            int fd = resolve(p, 0);
            if (fd == -EXDEV) {
                throw new UnsafePathException(rel, "its symlink leads outside the root");
            }
            checkResolved("open", rel, fd);
            try {
                FileStat st = fstat("open", rel, fd);
                if (!st.isRegular()) {
                    throw new IOException("open \"" + rel + "\": mode 0" + Integer.toOctalString(st.mode())
                            + " (expected: a regular file)");
                }
                return new OpenFile(reopen(fd, StandardOpenOption.READ), st);
            } finally {
                Libc.close(fd);
            }
        } finally {
            exit();
        }
    }

    /**
     * Creates {@code <relDir>/.<finalName>.XXXXXX} (mode 0600, O_EXCL, O_NOFOLLOW) for writing beside its
     * target, as rsync's receiver does. Mirrors receiver.c:get_tmpname() in naming.
     */
    public TempFile createTemp(String relDir, String finalName) throws IOException {
        RelPath dir = RelPath.parse(relDir);
        String leaf = RelPath.leafName(finalName);
        enter();
        try {
            int dfd = resolve(dir, O_DIRECTORY);
            checkResolved("mkstemp", relDir, dfd);
            try {
                String prefix = leaf.startsWith(".") ? leaf : "." + leaf;
                prefix = truncateUtf8(prefix, NAME_MAX - 7) + ".";
                for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
                    String name = prefix + randomSuffix();
                    String relName = dir.isRoot() ? name : dir.joined() + "/" + name;
                    int fd = Libc.openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                    if (fd == -EEXIST) {
                        continue;
                    }
                    if (fd < 0) {
                        throw new ErrnoException("mkstemp", relName, -fd);
                    }
                    FileChannel ch;
                    try {
                        ch = reopen(fd, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    } catch (IOException | RuntimeException e) {
                        Libc.unlinkat(dfd, name, 0);
                        throw e;
                    } finally {
                        Libc.close(fd);
                    }
                    TempFile t = new TempFile(this, dfd, name, relName, ch);
                    dfd = -1; // now owned by the TempFile
                    return t;
                }
                throw new ErrnoException("mkstemp", relDir + "/" + prefix + "XXXXXX", EEXIST);
            } finally {
                if (dfd >= 0) {
                    Libc.close(dfd);
                }
            }
        } finally {
            exit();
        }
    }

    /** renameat(2) inside the root; replaces {@code toRel} atomically. Neither may be the root. */
    public void rename(String fromRel, String toRel) throws IOException {
        RelPath from = RelPath.parse(fromRel);
        RelPath to = RelPath.parse(toRel);
        requireLeaf("rename", from);
        requireLeaf("rename", to);
        enter();
        try {
            int fd = resolve(from.parent(), O_DIRECTORY);
            checkResolved("rename", fromRel, fd);
            try {
                int td = resolve(to.parent(), O_DIRECTORY);
                checkResolved("rename", toRel, td);
                try {
                    int r = Libc.renameat(fd, from.leaf(), td, to.leaf());
                    if (r < 0) {
                        throw new ErrnoException("rename", fromRel + "\" -> \"" + toRel, -r);
                    }
                } finally {
                    Libc.close(td);
                }
            } finally {
                Libc.close(fd);
            }
        } finally {
            exit();
        }
    }

    /** Renames a TempFile's entry, still named through its own held directory descriptor. */
    void renameFrom(int fromDirFd, String fromName, String fromRel, String toRel) throws IOException {
        RelPath to = RelPath.parse(toRel);
        requireLeaf("rename", to);
        enter();
        try {
            int td = resolve(to.parent(), O_DIRECTORY);
            checkResolved("rename", toRel, td);
            try {
                int r = Libc.renameat(fromDirFd, fromName, td, to.leaf());
                if (r < 0) {
                    throw new ErrnoException("rename", fromRel + "\" -> \"" + toRel, -r);
                }
            } finally {
                Libc.close(td);
            }
        } finally {
            exit();
        }
    }

    public void mkdir(String rel, int mode) throws IOException {
        onLeaf("mkdir", rel, (d, leaf) -> Libc.mkdirat(d, leaf, mode));
    }

    /** The target text is stored as given; it is never resolved here. */
    public void symlink(String target, String rel) throws IOException {
        if (target.isEmpty() || target.indexOf('\0') >= 0
                || NameBytes.length(target) >= PATH_MAX) {
            throw new IOException("symlink \"" + rel + "\": target of " + target.length()
                    + " chars (expected: 1.." + (PATH_MAX - 1) + " bytes without NUL)");
        }
        onLeaf("symlink", rel, (d, leaf) -> Libc.symlinkat(target, d, leaf));
    }

    public String readlink(String rel) throws IOException {
        String[] out = new String[1];
        onLeaf("readlink", rel, (d, leaf) -> {
            try (Arena a = Arena.ofConfined()) {
                // Linux caps a symlink's target at PATH_MAX - 1 bytes, so this buffer never truncates.
                MemorySegment buf = a.allocate(PATH_MAX);
                long n = Libc.readlinkat(d, leaf, buf);
                if (n >= 0) {
                    out[0] = NameBytes.decode(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
                return (int) Math.min(n, 0);
            }
        });
        return out[0];
    }

    /** Devices, FIFOs and sockets; {@code rdev} in glibc's makedev() encoding. */
    public void mknod(String rel, int mode, long rdev) throws IOException {
        onLeaf("mknod", rel, (d, leaf) -> Libc.mknodat(d, leaf, mode, rdev));
    }

    public void unlink(String rel) throws IOException {
        onLeaf("unlink", rel, (d, leaf) -> Libc.unlinkat(d, leaf, 0));
    }

    public void rmdir(String rel) throws IOException {
        onLeaf("rmdir", rel, (d, leaf) -> Libc.unlinkat(d, leaf, AT_REMOVEDIR));
    }

    /** Removes a file or a whole tree. A symlink is unlinked, never descended, wherever it points. */
    public void deleteRecursively(String rel) throws IOException {
        RelPath p = RelPath.parse(rel);
        requireLeaf("delete", p);
        enter();
        try {
            int dfd = resolve(p.parent(), O_DIRECTORY);
            checkResolved("delete", rel, dfd);
            try {
                deleteAt(dfd, p.leaf(), p.joined(), true);
            } finally {
                Libc.close(dfd);
            }
        } finally {
            exit();
        }
    }

    private void deleteAt(int dirFd, String name, String rel, boolean top) throws IOException {
        // O_NOFOLLOW|O_DIRECTORY fails (ELOOP/ENOTDIR) on anything but a real directory, before any device open.
        int fd = Libc.openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd == -ENOTDIR || fd == -ELOOP) {
            int r = Libc.unlinkat(dirFd, name, 0);
            if (r < 0 && (top || r != -ENOENT)) {
                throw new ErrnoException("delete", rel, -r);
            }
            return;
        }
        if (fd < 0) {
            if (!top && fd == -ENOENT) {
                return; // vanished meanwhile: the goal is reached
            }
            throw new ErrnoException("delete", rel, -fd);
        }
        try {
            for (String child : readDir(rel, fd)) {
                deleteAt(fd, child, rel + "/" + child, false);
            }
        } finally {
            Libc.close(fd);
        }
        int r = Libc.unlinkat(dirFd, name, AT_REMOVEDIR);
        if (r < 0 && (top || r != -ENOENT)) {
            throw new ErrnoException("rmdir", rel, -r);
        }
    }

    /** Permission bits (07777); a no-op for a symlink, since Linux has no symlink modes. */
    public void chmod(String rel, int mode) throws IOException {
        RelPath p = RelPath.parse(rel);
        onTarget("chmod", p, (d, leaf) -> {
            int fd = Libc.openat(d, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
            if (fd < 0) {
                return fd;
            }
            try {
                FileStat st = fstat("chmod", rel, fd);
                if (st.isSymlink()) {
                    return 0;
                }
                // The descriptor pins the inode checked above, so a swap to a symlink cannot redirect the chmod.
                if (fchmodat2Works) {
                    int r = Libc.fchmodat2(fd, "", mode, AT_EMPTY_PATH);
                    if (r != -ENOSYS) {
                        return r;
                    }
                    fchmodat2Works = false;
                }
                return Libc.fchmodat(AT_FDCWD, "/proc/self/fd/" + fd, mode, 0);
            } finally {
                Libc.close(fd);
            }
        });
    }

    /** fchownat(AT_SYMLINK_NOFOLLOW); -1 keeps the uid or gid. */
    public void lchown(String rel, int uid, int gid) throws IOException {
        onTarget("lchown", RelPath.parse(rel), (d, leaf) -> Libc.fchownat(d, leaf, uid, gid, AT_SYMLINK_NOFOLLOW));
    }

    /**
     * Sets the mtime (atime untouched). With {@code noFollow} a final symlink itself is changed; without, its
     * target is, provided it stays beneath the root.
     */
    public void setTimes(String rel, long mtimeSec, int mtimeNsec, boolean noFollow) throws IOException {
        if (mtimeNsec < 0 || mtimeNsec > 999_999_999) {
            throw new IOException("utimes \"" + rel + "\": nanoseconds " + mtimeNsec + " (expected: 0..999999999)");
        }
        RelPath p = RelPath.parse(rel);
        if (noFollow) {
            onTarget("utimes", p, (d, leaf) -> Libc.utimensat(d, leaf, mtimeSec, mtimeNsec, AT_SYMLINK_NOFOLLOW));
            return;
        }
        enter();
        try {
            if (!p.isRoot()) {
                int dfd = resolve(p.parent(), O_DIRECTORY);
                checkResolved("utimes", rel, dfd);
                Libc.close(dfd);
            }
            int fd = resolve(p, 0);
            if (fd == -EXDEV) {
                throw new UnsafePathException(rel, "its symlink leads outside the root");
            }
            checkResolved("utimes", rel, fd);
            try {
                // utimensat() cannot take an O_PATH descriptor; its magic link names the very inode resolved above.
                int r = Libc.utimensat(AT_FDCWD, "/proc/self/fd/" + fd, mtimeSec, mtimeNsec, 0);
                if (r < 0) {
                    throw new ErrnoException("utimes", rel, -r);
                }
            } finally {
                Libc.close(fd);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                Libc.close(rootFd);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- resolution ----

    /**
     * An O_PATH descriptor for {@code p}, following symlinks only while they stay beneath the root, or
     * {@code -errno}; {@code -EXDEV} means the name leads outside. {@code extraFlags} may add O_DIRECTORY.
     */
    private int resolve(RelPath p, int extraFlags) {
        if (!openat2) {
            return walk(p.components(), extraFlags);
        }
        int r;
        int attempts = 0;
        do {
            // EAGAIN: a concurrent rename or mount raced a ".." in a symlink target; the kernel asks to retry.
            r = Libc.openat2(rootFd, p.joined(), O_PATH | O_CLOEXEC | extraFlags, 0,
                    RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | (noSymlinks ? RESOLVE_NO_SYMLINKS : 0));
        } while ((r == -EAGAIN || r == -EINTR) && ++attempts < MAX_RETRIES);
        return r;
    }

    /**
     * The user-space twin of openat2(RESOLVE_BENEATH) for kernels before 5.6: one O_NOFOLLOW open per
     * component on a held descriptor, symlink targets expanded here, and ".." taken from our own stack of
     * descriptors, never from the kernel, so a directory swapped for a symlink mid-walk cannot lead out.
     */
    private int walk(List<String> components, int extraFlags) {
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        ArrayDeque<String> pending = new ArrayDeque<>(components);
        int links = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment stx = a.allocate(STATX_SIZE, 8);
            MemorySegment linkBuf = a.allocate(PATH_MAX);
            while (!pending.isEmpty()) {
                String c = pending.pollFirst();
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    if (stack.isEmpty()) {
                        return -EXDEV;
                    }
                    Libc.close(stack.pop());
                    continue;
                }
                int cur = stack.isEmpty() ? rootFd : stack.peek();
                int fd = Libc.openat(cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                if (fd < 0) {
                    return fd;
                }
                int r = Libc.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, stx);
                if (r < 0) {
                    Libc.close(fd);
                    return r;
                }
                int mode = Libc.toFileStat(stx).mode();
                if (Modes.isSymlink(mode) && noSymlinks) {
                    Libc.close(fd);
                    return -ELOOP;
                }
                if (Modes.isSymlink(mode)) {
                    long n = Libc.readlinkat(fd, "", linkBuf);
                    Libc.close(fd);
                    if (n < 0) {
                        return (int) n;
                    }
                    if (++links > MAX_SYMLINKS) {
                        return -ELOOP;
                    }
                    String target = NameBytes.decode(linkBuf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                    if (target.isEmpty()) {
                        return -ENOENT;
                    }
                    if (target.startsWith("/")) {
                        return -EXDEV;
                    }
                    String[] parts = target.split("/", -1);
                    for (int i = parts.length - 1; i >= 0; i--) {
                        pending.addFirst(parts[i]);
                    }
                    continue;
                }
                if (!pending.isEmpty() && !Modes.isDir(mode)) {
                    Libc.close(fd);
                    return -ENOTDIR;
                }
                stack.push(fd);
            }
            int fd = stack.isEmpty() ? Libc.openat(rootFd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0) : stack.pop();
            if (fd >= 0 && (extraFlags & O_DIRECTORY) != 0) {
                int r = Libc.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, stx);
                if (r < 0 || !Modes.isDir(Libc.toFileStat(stx).mode())) {
                    Libc.close(fd);
                    return r < 0 ? r : -ENOTDIR;
                }
            }
            return fd;
        } finally {
            for (int fd : stack) {
                Libc.close(fd);
            }
        }
    }

    /** Turns a failed resolution into the right exception: an escape is refused, anything else reported. */
    private static void checkResolved(String op, String rel, int fdOrErrno) throws IOException {
        if (fdOrErrno == -EXDEV) {
            throw new UnsafePathException(rel, "a symlink in a parent component leads outside the root");
        }
        if (fdOrErrno < 0) {
            throw new ErrnoException(op, rel, -fdOrErrno);
        }
    }

    private static void requireLeaf(String op, RelPath p) throws UnsafePathException {
        if (p.isRoot()) {
            throw new UnsafePathException(p.original(), op + " of the root itself (expected: a name beneath it)");
        }
    }

    @FunctionalInterface
    private interface AtCall {
        /** Runs one *at call on a held directory and a single name; returns >= 0 or -errno. */
        int apply(int dirFd, String leaf) throws IOException;
    }

    /** An operation on a name beneath the root, never on the root itself. */
    private void onLeaf(String op, String rel, AtCall call) throws IOException {
        RelPath p = RelPath.parse(rel);
        requireLeaf(op, p);
        onTarget(op, p, call);
    }

    /** An operation on a name or on the root itself ("." of the root descriptor). */
    private void onTarget(String op, RelPath p, AtCall call) throws IOException {
        enter();
        try {
            if (p.isRoot()) {
                int r = call.apply(rootFd, ".");
                if (r < 0) {
                    throw new ErrnoException(op, p.original(), -r);
                }
                return;
            }
            int dfd = resolve(p.parent(), O_DIRECTORY);
            checkResolved(op, p.original(), dfd);
            try {
                int r = call.apply(dfd, p.leaf());
                if (r < 0) {
                    throw new ErrnoException(op, p.original(), -r);
                }
            } finally {
                Libc.close(dfd);
            }
        } finally {
            exit();
        }
    }

    private static FileStat statAt(String op, String rel, int dirFd, String name, int flags) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment stx = a.allocate(STATX_SIZE, 8);
            int r = Libc.statx(dirFd, name, flags, stx);
            if (r == -ENOENT || r == -ENOTDIR) {
                return null;
            }
            if (r < 0) {
                throw new ErrnoException(op, rel, -r);
            }
            return Libc.toFileStat(stx);
        }
    }

    private static FileStat fstat(String op, String rel, int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment stx = a.allocate(STATX_SIZE, 8);
            int r = Libc.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, stx);
            if (r < 0) {
                throw new ErrnoException(op, rel, -r);
            }
            return Libc.toFileStat(stx);
        }
    }

    /**
     * A JDK FileChannel on an already-open descriptor. The JDK cannot adopt a raw fd, so the file is
     * reopened through its /proc magic link, which names the open inode rather than a path and so cannot
     * be raced. This keeps the full FileChannel (transferTo, map, force, locks) at the cost of one extra
     * open, instead of a hand-written pread/pwrite channel that would have to re-implement all of that.
     */
    private static FileChannel reopen(int fd, OpenOption... options) throws IOException {
        return FileChannel.open(Path.of("/proc/self/fd/" + fd), options);
    }

    private static List<String> readDir(String rel, int dirFd) throws IOException {
        List<String> names = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(DIRENT_BUFFER, 8);
            while (true) {
                long n = Libc.getdents64(dirFd, buf);
                if (n < 0) {
                    throw new ErrnoException("readdir", rel, (int) -n);
                }
                if (n == 0) {
                    return names;
                }
                // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[].
                long off = 0;
                while (off < n) {
                    int reclen = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, off + 16));
                    if (reclen < 20 || off + reclen > n) {
                        throw new IOException("readdir \"" + rel + "\": record length " + reclen + " at " + off
                                + " (expected: 20.." + (n - off) + ")");
                    }
                    byte[] raw = buf.asSlice(off + 19, reclen - 19).toArray(ValueLayout.JAVA_BYTE);
                    int len = 0;
                    while (len < raw.length && raw[len] != 0) {
                        len++;
                    }
                    String name = NameBytes.decode(raw, 0, len);
                    if (!name.equals(".") && !name.equals("..")) {
                        names.add(name);
                    }
                    off += reclen;
                }
            }
        }
    }

    private static String truncateUtf8(String s, int maxBytes) {
        if (NameBytes.length(s) <= maxBytes) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = NameBytes.length(new String(Character.toChars(cp)));
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static String randomSuffix() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        char[] c = new char[6];
        for (int i = 0; i < c.length; i++) {
            c[i] = TEMP_CHARS.charAt(rnd.nextInt(TEMP_CHARS.length()));
        }
        return new String(c);
    }

    private void enter() throws IOException {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IOException("confined root " + root + " is closed");
        }
    }

    private void exit() {
        lock.readLock().unlock();
    }
}
