package dev.jrsync.protocol.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Linux/glibc bindings through java.lang.foreign. Every wrapper returns the call's result, or
 * {@code -errno} when it failed, so that errno travels with the result and never through shared
 * state. Stateless; thread-safe; every call blocks in the kernel.
 */
@SuppressWarnings("restricted") // binding native calls is this class's purpose; the launcher enables native access
final class Libc {
    // asm-generic errno values, shared by x86_64 and aarch64.
    static final int EPERM = 1, ENOENT = 2, EINTR = 4, EAGAIN = 11, EACCES = 13, EEXIST = 17, EXDEV = 18,
            ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40,
            EOPNOTSUPP = 95;

    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_CLOEXEC = 02000000, O_PATH = 010000000;
    /** O_DIRECTORY and O_NOFOLLOW are among the few open flags whose values differ between architectures. */
    static final int O_DIRECTORY, O_NOFOLLOW;

    static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08;
    static final long UTIME_OMIT = (1L << 30) - 2;
    static final int STATX_BASIC_STATS = 0x7ff;
    static final int PATH_MAX = 4096, NAME_MAX = 255;

    private static final long SYS_OPENAT2 = 437, SYS_FCHMODAT2 = 452;
    private static final long SYS_GETDENTS64, SYS_MKNODAT;

    static {
        String arch = System.getProperty("os.arch");
        switch (arch) {
            case "amd64", "x86_64" -> {
                O_DIRECTORY = 0200000;
                O_NOFOLLOW = 0400000;
                SYS_GETDENTS64 = 217;
                SYS_MKNODAT = 259;
            }
            case "aarch64" -> {
                O_DIRECTORY = 040000;
                O_NOFOLLOW = 0100000;
                SYS_GETDENTS64 = 61;
                SYS_MKNODAT = 33;
            }
            default -> throw new ExceptionInInitializerError("confined file access: unsupported architecture "
                    + arch + " (expected: amd64 or aarch64 Linux)");
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPENAT = variadic("openat", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 3);
    private static final MethodHandle CLOSE = errnoHandle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STATX = errnoHandle("statx", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MKDIRAT = errnoHandle("mkdirat", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SYMLINKAT = errnoHandle("symlinkat", FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle READLINKAT = errnoHandle("readlinkat", FunctionDescriptor.of(JAVA_LONG,
            JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle UNLINKAT = errnoHandle("unlinkat", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RENAMEAT = errnoHandle("renameat", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle FCHMODAT = errnoHandle("fchmodat", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHOWNAT = errnoHandle("fchownat", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UTIMENSAT = errnoHandle("utimensat", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(symbol("strerror"),
            FunctionDescriptor.of(ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(1024, ValueLayout.JAVA_BYTE)),
                    JAVA_INT));
    // syscall(2) is variadic; every argument after the number travels as a full 64-bit word, which is
    // what glibc's wrapper reads back out of the va_list.
    private static final MethodHandle SYSCALL3 = variadic("syscall", FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG), 1);
    private static final MethodHandle SYSCALL4 = variadic("syscall", FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), 1);
    private static final MethodHandle SYSCALL4L = variadic("syscall", FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG), 1);

    /** struct open_how (linux/openat2.h): u64 flags, u64 mode, u64 resolve. */
    private static final long OPEN_HOW_SIZE = 24;
    /** struct statx (linux/stat.h) is the same on every architecture; 256 bytes with its spare tail. */
    static final long STATX_SIZE = 256;
    private static final long STX_NLINK = 16, STX_UID = 20, STX_GID = 24, STX_MODE = 28, STX_INO = 32,
            STX_SIZE = 40, STX_MTIME = 112, STX_RDEV_MAJOR = 128, STX_RDEV_MINOR = 132, STX_DEV_MAJOR = 136,
            STX_DEV_MINOR = 140;

    private Libc() {
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new ExceptionInInitializerError("libc lacks " + name + "()"));
    }

    private static MethodHandle errnoHandle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE_ERRNO);
    }

    private static MethodHandle variadic(String name, FunctionDescriptor fd, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private static MemorySegment capture(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** The name as the kernel sees it: UTF-8 bytes, NUL-terminated. */
    static MemorySegment cstr(Arena arena, String s) {
        byte[] b = NameBytes.encode(s);
        MemorySegment m = arena.allocate(b.length + 1L);
        MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
        m.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return m;
    }

    private static RuntimeException fatal(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("foreign call failed", t);
    }

    static int openat(int dirfd, String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) OPENAT.invokeExact(cap, dirfd, cstr(a, path), flags, mode);
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** openat2(2); returns {@code -ENOSYS} on kernels before 5.6 or where a seccomp filter hides it. */
    static int openat2(int dirfd, String path, int flags, int mode, long resolve) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            MemorySegment how = a.allocate(OPEN_HOW_SIZE, 8);
            how.set(JAVA_LONG, 0, Integer.toUnsignedLong(flags));
            how.set(JAVA_LONG, 8, Integer.toUnsignedLong(mode));
            how.set(JAVA_LONG, 16, resolve);
            long r = (long) SYSCALL4.invokeExact(cap, SYS_OPENAT2, (long) dirfd, cstr(a, path), how, OPEN_HOW_SIZE);
            return r < 0 ? -errno(cap) : (int) r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) CLOSE.invokeExact(cap, fd);
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** statx(2) into {@code out}; returns 0 or -errno. */
    static int statx(int dirfd, String path, int flags, MemorySegment out) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) STATX.invokeExact(cap, dirfd, cstr(a, path), flags, STATX_BASIC_STATS, out);
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static FileStat toFileStat(MemorySegment stx) {
        int mode = Short.toUnsignedInt(stx.get(ValueLayout.JAVA_SHORT, STX_MODE));
        long rdev = FileStat.makedev(stx.get(JAVA_INT, STX_RDEV_MAJOR), stx.get(JAVA_INT, STX_RDEV_MINOR));
        long dev = FileStat.makedev(stx.get(JAVA_INT, STX_DEV_MAJOR), stx.get(JAVA_INT, STX_DEV_MINOR));
        return new FileStat(mode, stx.get(JAVA_LONG, STX_SIZE), stx.get(JAVA_LONG, STX_MTIME),
                stx.get(JAVA_INT, STX_MTIME + 8), stx.get(JAVA_INT, STX_UID), stx.get(JAVA_INT, STX_GID), rdev, dev,
                stx.get(JAVA_LONG, STX_INO), stx.get(JAVA_INT, STX_NLINK));
    }

    static int mkdirat(int dirfd, String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) MKDIRAT.invokeExact(cap, dirfd, cstr(a, path), mode);
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int symlinkat(String target, int dirfd, String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) SYMLINKAT.invokeExact(cap, cstr(a, target), dirfd, cstr(a, path));
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** readlinkat(2) into {@code buf}; returns the byte count (possibly == buf size: truncated) or -errno. */
    static long readlinkat(int dirfd, String path, MemorySegment buf) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            long r = (long) READLINKAT.invokeExact(cap, dirfd, cstr(a, path), buf, buf.byteSize());
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int mknodat(int dirfd, String path, int mode, long dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            // The raw call because glibc exports mknodat() only since 2.33. The kernel takes dev as a
            // 32-bit new_encode_dev() value, not glibc's 64-bit dev_t.
            int ma = FileStat.major(dev), mi = FileStat.minor(dev);
            long kdev = Integer.toUnsignedLong((mi & 0xff) | (ma << 8) | ((mi & ~0xff) << 12));
            long r = (long) SYSCALL4L.invokeExact(cap, SYS_MKNODAT, (long) dirfd, cstr(a, path),
                    Integer.toUnsignedLong(mode), kdev);
            return r < 0 ? -errno(cap) : (int) r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int unlinkat(int dirfd, String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) UNLINKAT.invokeExact(cap, dirfd, cstr(a, path), flags);
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int renameat(int fromDir, String from, int toDir, String to) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) RENAMEAT.invokeExact(cap, fromDir, cstr(a, from), toDir, cstr(a, to));
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int fchmodat(int dirfd, String path, int mode, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) FCHMODAT.invokeExact(cap, dirfd, cstr(a, path), mode, flags);
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** fchmodat2(2) (Linux 6.6), the only chmod that accepts AT_EMPTY_PATH on an O_PATH descriptor. */
    static int fchmodat2(int dirfd, String path, int mode, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            long r = (long) SYSCALL4L.invokeExact(cap, SYS_FCHMODAT2, (long) dirfd, cstr(a, path),
                    Integer.toUnsignedLong(mode), (long) flags);
            return r < 0 ? -errno(cap) : (int) r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int fchownat(int dirfd, String path, int uid, int gid, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            int r = (int) FCHOWNAT.invokeExact(cap, dirfd, cstr(a, path), uid, gid, flags);
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** utimensat(2) with atime left alone (UTIME_OMIT). */
    static int utimensat(int dirfd, String path, long mtimeSec, long mtimeNsec, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            MemorySegment ts = a.allocate(32, 8); // struct timespec[2] of {time_t; long} on LP64
            ts.set(JAVA_LONG, 0, 0L);
            ts.set(JAVA_LONG, 8, UTIME_OMIT);
            ts.set(JAVA_LONG, 16, mtimeSec);
            ts.set(JAVA_LONG, 24, mtimeNsec);
            int r = (int) UTIMENSAT.invokeExact(cap, dirfd, cstr(a, path), ts, flags);
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** getdents64(2) into {@code buf}: returns bytes filled (0 at the end) or -errno. */
    static long getdents64(int fd, MemorySegment buf) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = capture(a);
            long r = (long) SYSCALL3.invokeExact(cap, SYS_GETDENTS64, (long) fd, buf, buf.byteSize());
            return r < 0 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** glibc's message for an errno ("No such file or directory"); its strerror() is MT-safe since 2.32. */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "Unknown error " + errno : s.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }
}
