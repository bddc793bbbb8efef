package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.ErrnoException;
import dev.jrsync.protocol.fs.FileStat;
import dev.jrsync.protocol.handshake.TransferOptions;

import java.io.IOException;
import java.util.List;

/**
 * main.c:get_local_name(): once the file list is known, decides how a receiving side names what it
 * receives. A destination that is a directory receives the transfer inside it; a single item sent to
 * a path that is not a directory (and has no trailing slash) is written under that name; otherwise
 * the destination directory is created ("created directory NAME"). The one home of this rule for
 * every receiving role: a client pulling, a daemon module, a remote-shell server, a local copy.
 * Stateless.
 */
public final class LocalName {
    private LocalName() {
    }

    /**
     * The receiving side's destination argument, before the file list says how to use it. Two
     * kinds: a path of the local file system (client, remote-shell server; symlinks on it are the
     * user's own and are followed) and a path inside a daemon module (resolved confined).
     * Confined to one session; closing releases the roots it opened.
     */
    public interface Destination extends AutoCloseable {
        /** The destination as given (an empty one is "."), for messages. */
        String path();

        /** What is there, following a final symlink as stat(2); null when nothing is (ENOENT). */
        FileStat stat() throws IOException;

        /** Creates the destination directory (do_mkdir with ACCESSPERMS, the umask applies). */
        void mkdir() throws IOException;

        /**
         * The destination directory as the receiving root. {@code missing}: a dry run into a
         * directory that was not created; nothing is written, every item is new.
         */
        Target directory(boolean missing) throws IOException;

        /**
         * How rsync's messages name {@code shown} (log.c:full_fname()): absolute for a local path, with
         * " (in MODULE)" on a daemon; the caller puts the opening quote.
         */
        String fullName(String shown);

        /** The destination's parent as the receiving root, the item named as the destination's last part. */
        Target singleItem() throws IOException;

        @Override
        void close() throws IOException;
    }

    /**
     * Where received items go: names are {@code prefix/NAME} beneath {@code root}; with
     * {@code soloPath} the one item is written as that root-relative name instead.
     *
     * @param created the destination directory was created for this transfer (main.c FLAG_DIR_CREATED)
     */
    public record Target(ConfinedRoot root, String prefix, String soloPath, boolean created) {
    }

    /** A symlink on the destination's path that neither root nor this process's user owns (3.5.0 refuses it). */
    public static final class UntrustedSymlinkException extends IOException {
        public UntrustedSymlinkException(String path) {
            super(path);
        }
    }

    /** Applies the rule; messages and exit codes are stock's. */
    public static Target resolve(Destination dest, List<FileEntry> list, TransferOptions o, SessionLog log)
            throws IOException {
        int total = 0;
        FileEntry first = null;
        for (FileEntry e : list) {
            if (e != null) {
                if (first == null) {
                    first = e;
                }
                total++;
            }
        }
        String path = dest.path().isEmpty() ? "." : dest.path();
        boolean trailingSlash = path.endsWith("/");
        FileStat st;
        try {
            st = dest.stat();
        } catch (IOException e) {
            throw new RsyncException(ExitCode.RERR_FILESELECT, "ERROR: cannot stat destination \"" + path + "\": "
                    + ErrnoException.describe(e));
        }
        if (st != null) {
            if (st.isDir()) {
                return enter(dest, path, false, false, log);
            }
            if (total > 1) {
                throw new RsyncException(ExitCode.RERR_FILESELECT,
                        "ERROR: destination must be a directory when copying more than 1 file");
            }
            if (total == 1 && first.isDir()) {
                throw new RsyncException(ExitCode.RERR_FILESELECT,
                        "ERROR: cannot overwrite non-directory with a directory");
            }
        }
        if (total > 1 || trailingSlash) {
            String shown = trailingSlash ? path.substring(0, path.length() - 1) : path;
            if (st != null) {
                throw new RsyncException(ExitCode.RERR_SYNTAX, "ERROR: destination path is not a directory");
            }
            if (!o.dryRun) {
                try {
                    dest.mkdir();
                } catch (IOException e) {
                    throw new RsyncException(ExitCode.RERR_FILEIO, "[Receiver] mkdir \"" + dest.fullName(shown)
                            + "\" failed: " + ErrnoException.describe(e));
                }
            }
            if (o.verbose > 0 || o.itemizes()) {
                log.info("created directory " + shown);
            }
            return enter(dest, shown, true, o.dryRun, log);
        }
        try {
            return dest.singleItem();
        } catch (IOException e) {
            throw new RsyncException(ExitCode.RERR_FILESELECT, "[Receiver] change_dir#3 \""
                    + dest.fullName(parentOf(path)) + "\" failed: " + ErrnoException.describe(e));
        }
    }

    private static Target enter(Destination dest, String shown, boolean created, boolean missing, SessionLog log)
            throws IOException {
        try {
            Target t = dest.directory(missing);
            return created ? new Target(t.root(), t.prefix(), t.soloPath(), true) : t;
        } catch (IOException e) {
            if (e instanceof RsyncException r) {
                throw r;
            }
            String why = ErrnoException.describe(e);
            if (e instanceof UntrustedSymlinkException) {
                log.error("refusing to follow a symlink owned by an untrusted user; use --insecure-links locally or"
                        + " \"insecure links = yes\" in a daemon module ONLY if every path component is trusted");
                why = "Too many levels of symbolic links (40)";
            }
            throw new RsyncException(ExitCode.RERR_FILESELECT, "[Receiver] change_dir#" + (created ? 2 : 1) + " \""
                    + dest.fullName(shown) + "\" failed: " + why);
        }
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    }
}
