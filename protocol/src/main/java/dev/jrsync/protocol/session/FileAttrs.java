package dev.jrsync.protocol.session;

import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.FileStat;
import dev.jrsync.protocol.handshake.TransferOptions;

import java.io.IOException;

/**
 * Gives a destination item the permissions, owner and times of its file-list entry, as far as
 * the options preserve them (rsync.c:set_file_attrs()). Called from the generator and the
 * receiver threads; holds no state of its own beyond the shared {@link ReceiveContext}.
 */
final class FileAttrs {
    private final ReceiveContext ctx;
    private final Session session;
    private final ConfinedRoot root;

    FileAttrs(ReceiveContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.root = ctx.root();
    }

    /** Only root may give files away (rsync's am_root check for --owner). */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** An existing or just-created non-regular item; {@code st} null means "just created". */
    void apply(String path, FileEntry e, FileStat st) throws IOException {
        TransferOptions o = session.options();
        if (o.perms && (st == null || (st.mode() & 07777) != e.permissions())) {
            root.chmod(path, e.permissions());
        }
        applyOwner(path, e, st);
        if (o.times && (st == null || st.mtimeSec() != e.mtime() || st.mtimeNsec() != e.mtimeNsec())) {
            root.setTimes(path, e.mtime(), e.mtimeNsec(), false);
        }
    }

    /**
     * A received temp file before its rename: without --perms the sender's mode minus group and
     * other write, as rsync does for new files.
     */
    void applyToTemp(String tempPath, FileEntry e) throws IOException {
        TransferOptions o = session.options();
        int perms = o.perms ? e.permissions() : e.permissions() & ~022;
        root.chmod(tempPath, perms);
        applyOwner(tempPath, e, null);
        if (o.times) {
            root.setTimes(tempPath, e.mtime(), e.mtimeNsec(), true);
        }
    }

    /** A directory at the end of the transfer (generator.c:touch_up_dirs()), after its contents. */
    void finishDir(FileEntry e, String path) throws IOException {
        TransferOptions o = session.options();
        FileStat st = root.lstat(path);
        if (st == null || !st.isDir()) {
            return;
        }
        int perms = o.perms ? e.permissions() : st.mode() & 07777;
        if ((st.mode() & 07777) != perms) {
            root.chmod(path, perms);
        }
        applyOwner(path, e, st);
        if (o.times) {
            root.setTimes(path, e.mtime(), e.mtimeNsec(), false);
        }
    }

    /** A failed chown is a transfer error (exit 23), not a failure of the session. */
    void applyOwner(String path, FileEntry e, FileStat st) throws IOException {
        TransferOptions o = session.options();
        int uid = o.owner && isRoot() ? ctx.ids().mapUid(e.uid()) : -1;
        int gid = o.group ? ctx.ids().mapGid(e.gid()) : -1;
        if (st != null) {
            uid = uid == st.uid() ? -1 : uid;
            gid = gid == st.gid() ? -1 : gid;
        }
        if (uid != -1 || gid != -1) {
            try {
                root.lchown(path, uid, gid);
            } catch (IOException ex) {
                session.log().transferError("rsync: [generator] chown \"" + path + "\" failed: " + ex.getMessage());
                session.noteTransferError();
            }
        }
    }

    void setTimesQuietly(String path, FileEntry e, boolean noFollow) {
        if (!session.options().times) {
            return;
        }
        try {
            root.setTimes(path, e.mtime(), e.mtimeNsec(), noFollow);
        } catch (IOException ignored) {
            // Symlink times are best effort, like rsync without CAN_SET_SYMLINK_TIMES.
        }
    }
}
