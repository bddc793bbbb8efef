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
        return dev.jrsync.protocol.fs.ProcessIds.isRoot();
    }

    /** An existing or just-created non-regular item; {@code st} null means "just created". */
    void apply(String path, FileEntry e, FileStat st) throws IOException {
        TransferOptions o = session.options();
        // Owner first: chown(2) clears setuid and setgid, so the mode is set after it (rsync.c order).
        applyOwner(path, e, st);
        if (o.perms && (st == null || (st.mode() & 07777) != e.permissions())) {
            root.chmod(path, e.permissions());
        }
        if (o.times && (st == null || st.mtimeSec() != e.mtime() || st.mtimeNsec() != e.mtimeNsec())) {
            root.setTimes(path, e.mtime(), e.mtimeNsec(), false);
        }
    }

    /**
     * A received temp file before its rename over {@code destPath}. Without --perms the mode is
     * rsync.c:dest_mode()'s: an existing file keeps its permissions, a new one gets the sender's
     * permission bits within 0777 minus this process's umask (no setuid, setgid or sticky bit).
     */
    void applyToTemp(String tempPath, String destPath, FileEntry e) throws IOException {
        TransferOptions o = session.options();
        int perms;
        if (o.perms) {
            perms = e.permissions();
        } else {
            FileStat existing = root.lstat(destPath);
            perms = existing != null && existing.isRegular() ? existing.mode() & 07777
                    : e.permissions() & 0777 & ~dev.jrsync.protocol.fs.ProcessIds.umask();
        }
        applyOwner(tempPath, e, null);
        root.chmod(tempPath, perms);
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
