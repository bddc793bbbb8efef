package dev.jrsync.protocol.wire;

/** Special file-list indexes (rsync.h NDX_*). */
public final class Ndx {
    public static final int DONE = -1;
    public static final int FLIST_EOF = -2;
    public static final int DEL_STATS = -3;
    public static final int FLIST_OFFSET = -101;

    private Ndx() {
    }
}
