package dev.jrsync.protocol.flist;

/**
 * File-list entry flag bits, named as in rsync.h (XMIT_*), plus the io_error bits a list trailer
 * may carry. Several bits mean different things depending on the protocol or the file type; the
 * comment says which. Constants only; thread-safe.
 */
public final class Xmit {
    public static final int XMIT_TOP_DIR = 1;
    public static final int XMIT_SAME_MODE = 1 << 1;
    /** Protocols &lt; 28: rdev equals the previous one. Same bit as {@link #XMIT_EXTENDED_FLAGS}. */
    public static final int XMIT_SAME_RDEV_pre28 = 1 << 2;
    /** Protocols &ge; 28 without varint flags: a second flag byte follows. */
    public static final int XMIT_EXTENDED_FLAGS = 1 << 2;
    public static final int XMIT_SAME_UID = 1 << 3;
    public static final int XMIT_SAME_GID = 1 << 4;
    public static final int XMIT_SAME_NAME = 1 << 5;
    public static final int XMIT_LONG_NAME = 1 << 6;
    public static final int XMIT_SAME_TIME = 1 << 7;
    /** Devices, protocols &ge; 28. Same bit as {@link #XMIT_NO_CONTENT_DIR}. */
    public static final int XMIT_SAME_RDEV_MAJOR = 1 << 8;
    /** Directories, protocols &ge; 30 (the reader also sets it for older protocols, see FileListReader). */
    public static final int XMIT_NO_CONTENT_DIR = 1 << 8;
    public static final int XMIT_HLINKED = 1 << 9;
    public static final int XMIT_SAME_DEV_pre30 = 1 << 10;
    public static final int XMIT_USER_NAME_FOLLOWS = 1 << 10;
    public static final int XMIT_RDEV_MINOR_8_pre30 = 1 << 11;
    public static final int XMIT_GROUP_NAME_FOLLOWS = 1 << 11;
    public static final int XMIT_HLINK_FIRST = 1 << 12;
    /** With {@link #XMIT_EXTENDED_FLAGS} alone: end of list followed by a varint io_error (safe flist). */
    public static final int XMIT_IO_ERROR_ENDLIST = 1 << 12;
    public static final int XMIT_MOD_NSEC = 1 << 13;
    public static final int XMIT_SAME_ATIME = 1 << 14;
    public static final int XMIT_CRTIME_EQ_MTIME = 1 << 17;

    public static final int IOERR_GENERAL = 1;
    public static final int IOERR_VANISHED = 1 << 1;
    public static final int IOERR_DEL_LIMIT = 1 << 2;
    /** The io_error bits a receiver accepts from the wire (rsync.h IOERR_VALID_MASK). */
    public static final int IOERR_VALID_MASK = IOERR_GENERAL | IOERR_VANISHED | IOERR_DEL_LIMIT;

    /** MAXPATHLEN on Linux: a received name (plus its C terminator) must fit. */
    public static final int MAXPATHLEN = 4096;
    public static final int MAX_WIRE_NSEC = 999_999_999;

    private Xmit() {
    }
}
