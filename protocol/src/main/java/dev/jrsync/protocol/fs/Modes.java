package dev.jrsync.protocol.fs;

/**
 * File type and permission bits of {@code st_mode}, with the octal values of Linux's stat.h
 * (the same values rsync puts on the wire). Stateless; thread-safe.
 */
public final class Modes {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    /** Permission bits including setuid, setgid and sticky. */
    public static final int PERMS = 07777;

    private Modes() {
    }

    public static int type(int mode) {
        return mode & S_IFMT;
    }

    public static boolean isDir(int mode) {
        return type(mode) == S_IFDIR;
    }

    public static boolean isRegular(int mode) {
        return type(mode) == S_IFREG;
    }

    public static boolean isSymlink(int mode) {
        return type(mode) == S_IFLNK;
    }

    public static boolean isDevice(int mode) {
        int t = type(mode);
        return t == S_IFCHR || t == S_IFBLK;
    }

    /** FIFOs and sockets: rsync's "special files". */
    public static boolean isSpecial(int mode) {
        int t = type(mode);
        return t == S_IFIFO || t == S_IFSOCK;
    }
}
