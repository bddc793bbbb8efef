package dev.jrsync.protocol.session;

import dev.jrsync.protocol.flist.FileEntry;

/** Item flags (rsync.h ITEM_*) and rsync's log line for an item (log.c:log_formatted()). Stateless. */
public final class Item {
    public static final int REPORT_ATIME = 1;
    public static final int REPORT_CHANGE = 1 << 1;
    public static final int REPORT_SIZE = 1 << 2;
    public static final int REPORT_TIMEFAIL = 1 << 2;
    public static final int REPORT_TIME = 1 << 3;
    public static final int REPORT_PERMS = 1 << 4;
    public static final int REPORT_OWNER = 1 << 5;
    public static final int REPORT_GROUP = 1 << 6;
    public static final int REPORT_ACL = 1 << 7;
    public static final int REPORT_XATTR = 1 << 8;
    public static final int REPORT_CRTIME = 1 << 10;
    public static final int BASIS_TYPE_FOLLOWS = 1 << 11;
    public static final int XNAME_FOLLOWS = 1 << 12;
    public static final int IS_NEW = 1 << 13;
    public static final int LOCAL_CHANGE = 1 << 14;
    public static final int TRANSFER = 1 << 15;
    /** Not on the wire: what a protocol &lt; 29 peer's transfer looks like (no item flags were sent). */
    public static final int MISSING_DATA = 1 << 16;

    /** rsync.h SIGNIFICANT_ITEM_FLAGS. */
    public static final int SIGNIFICANT = ~(BASIS_TYPE_FOLLOWS | XNAME_FOLLOWS | LOCAL_CHANGE) & 0xFFFF;

    private Item() {
    }

    /** "%n%L": the name (dirs with a trailing slash) and " -> target" for symlinks. */
    public static String nameAndLink(FileEntry e) {
        String n = e.name();
        if (e.isDir()) {
            n = n.equals(".") ? "./" : n + "/";
        }
        if (e.isSymlink() && e.linkTarget() != null) {
            n += " -> " + e.linkTarget();
        }
        return n;
    }

    /** The 11-character %i string. {@code sending} is true on the side that sends file data. */
    public static String itemize(FileEntry e, int iflags, boolean sending, boolean preserveTimes) {
        char[] c = new char[11];
        c[0] = (iflags & LOCAL_CHANGE) != 0 ? ((iflags & XNAME_FOLLOWS) != 0 ? 'h' : 'c')
                : (iflags & TRANSFER) == 0 ? '.' : sending ? '<' : '>';
        if (e.isSymlink()) {
            c[1] = 'L';
            c[3] = '.';
            c[4] = (iflags & REPORT_TIME) == 0 ? '.' : !preserveTimes || (iflags & REPORT_TIMEFAIL) != 0 ? 'T' : 't';
        } else {
            c[1] = e.isDir() ? 'd' : e.isSpecial() ? 'S' : e.isDevice() ? 'D' : 'f';
            c[3] = (iflags & REPORT_SIZE) == 0 ? '.' : 's';
            c[4] = (iflags & REPORT_TIME) == 0 ? '.' : !preserveTimes ? 'T' : 't';
        }
        c[2] = (iflags & REPORT_CHANGE) == 0 ? '.' : 'c';
        c[5] = (iflags & REPORT_PERMS) == 0 ? '.' : 'p';
        c[6] = (iflags & REPORT_OWNER) == 0 ? '.' : 'o';
        c[7] = (iflags & REPORT_GROUP) == 0 ? '.' : 'g';
        c[8] = (iflags & (REPORT_ATIME | REPORT_CRTIME)) == 0 ? '.' : 'u';
        c[9] = (iflags & REPORT_ACL) == 0 ? '.' : 'a';
        c[10] = (iflags & REPORT_XATTR) == 0 ? '.' : 'x';
        if ((iflags & (IS_NEW | MISSING_DATA)) != 0) {
            char fill = (iflags & IS_NEW) != 0 ? '+' : '?';
            for (int i = 2; i < c.length; i++) {
                c[i] = fill;
            }
        } else if (c[0] == '.' || c[0] == 'h' || c[0] == 'c') {
            boolean allDots = true;
            for (int i = 2; i < c.length; i++) {
                allDots &= c[i] == '.';
            }
            if (allDots) {
                for (int i = 2; i < c.length; i++) {
                    c[i] = ' ';
                }
            }
        }
        return new String(c);
    }

    /** The client's line for an item: "%i %n%L" with -i, else "%n%L". */
    public static String logLine(FileEntry e, int iflags, boolean itemize, boolean sending, boolean preserveTimes) {
        return itemize ? itemize(e, iflags, sending, preserveTimes) + " " + nameAndLink(e) : nameAndLink(e);
    }

    /**
     * Whether a client logs a non-transfer item (log.c:maybe_log_item() with itemizing on): only
     * significant changes are shown with -v, everything with -ii.
     */
    public static boolean worthLogging(int iflags, int itemizeLevel) {
        return (iflags & SIGNIFICANT) != 0 || itemizeLevel > 1;
    }
}
