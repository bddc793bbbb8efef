package dev.jrsync.protocol.fs;

/**
 * What {@code statx(2)} says about one file. {@code rdev} and {@code dev} use glibc's 64-bit
 * {@code makedev()} encoding, so they compare equal to what C code sees in {@code st_rdev}.
 * Immutable; thread-safe.
 */
public record FileStat(int mode, long size, long mtimeSec, int mtimeNsec, int uid, int gid, long rdev,
                       long dev, long ino, int nlink) {

    public boolean isDir() {
        return Modes.isDir(mode);
    }

    public boolean isRegular() {
        return Modes.isRegular(mode);
    }

    public boolean isSymlink() {
        return Modes.isSymlink(mode);
    }

    public int rdevMajor() {
        return major(rdev);
    }

    public int rdevMinor() {
        return minor(rdev);
    }

    /** Mirrors glibc's gnu_dev_makedev(): 12+20 major bits and 8+24 minor bits, interleaved. */
    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0x00000fffL) << 8)
                | ((mi & 0xffffff00L) << 12) | (mi & 0x000000ffL);
    }

    /** Mirrors glibc's gnu_dev_major(). */
    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0x00000fffL));
    }

    /** Mirrors glibc's gnu_dev_minor(). */
    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0x000000ffL));
    }
}
