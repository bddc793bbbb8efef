package dev.jrsync.protocol.session;

import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.flist.Xmit;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.FileStat;
import dev.jrsync.protocol.fs.Modes;
import dev.jrsync.protocol.handshake.TransferOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds the sender's file list by walking the source roots (flist.c:send_file_list(),
 * send_directory(), make_file()). Every access goes through a {@link ConfinedRoot}. Not
 * thread-safe; blocks on the file system.
 */
final class SourceScanner {
    /** One entry to send, with where its bytes live locally. */
    record Source(FileEntry entry, ConfinedRoot root, String path) {
    }

    /** A command-line source: a root, the directory inside it to start from, and the name to send. */
    record Arg(ConfinedRoot root, String dir, String name) {
    }

    static List<Arg> of(List<SourceArgs.Arg> args) {
        List<Arg> l = new ArrayList<>();
        for (SourceArgs.Arg a : args) {
            l.add(new Arg(a.root(), a.dir(), a.name()));
        }
        return l;
    }

    private final Session session;
    private final List<Source> out = new ArrayList<>();
    /** -R: the implied directories already sent (flist.c:send_implied_dirs()), per root. */
    private final java.util.Set<String> implied = new java.util.HashSet<>();

    SourceScanner(Session session) {
        this.session = session;
    }

    /**
     * Splits a source argument relative to a root the way rsync does: a trailing slash (or ".")
     * sends the directory's contents under the name "."; otherwise the last component is the name.
     */
    static Arg split(ConfinedRoot root, String rel) {
        String r = rel;
        while (r.startsWith("./")) {
            r = r.substring(2);
        }
        if (r.isEmpty() || r.equals(".") || r.endsWith("/") || r.endsWith("/.")) {
            String dir = r.endsWith("/.") ? r.substring(0, r.length() - 2) : r;
            while (dir.endsWith("/")) {
                dir = dir.substring(0, dir.length() - 1);
            }
            return new Arg(root, dir.equals(".") ? "" : dir, ".");
        }
        int slash = r.lastIndexOf('/');
        return slash < 0 ? new Arg(root, "", r) : new Arg(root, r.substring(0, slash), r.substring(slash + 1));
    }

    List<Source> scan(List<Arg> args) throws IOException {
        TransferOptions o = session.options();
        for (Arg a : args) {
            String path = join(a.dir(), a.name().equals(".") ? "" : a.name());
            if (o.relative) {
                impliedDirs(a);
            }
            FileStat st = a.root().lstat(path);
            if (st == null) {
                String module = session.policy() == null ? null : session.policy().moduleName();
                // A daemon names the path as seen from the module root ("/dir/name"; a bare name as is).
                String shown = module != null && !a.dir().isEmpty() ? "/" + path : display(path);
                String in = module == null ? "" : " (in " + module + ")";
                session.log().transferError("rsync: [sender] link_stat \"" + shown + "\"" + in
                        + " failed: No such file or directory (2)");
                session.addIoError(Xmit.IOERR_GENERAL);
                continue;
            }
            if (Modes.isDir(st.mode())) {
                if (!o.recursive && !o.dirs) {
                    session.log().info("skipping directory " + a.name());
                    continue;
                }
                // flist.c:send_file_list(): with -r, or -d and a "." / trailing-slash name, the
                // directory is a top content directory; -d with a plain name sends it alone.
                boolean contents = o.recursive || a.name().equals(".");
                add(a.root(), a.name(), path, st, contents ? Xmit.XMIT_TOP_DIR : Xmit.XMIT_NO_CONTENT_DIR);
                if (contents) {
                    walk(a.root(), a.name(), path, o.recursive);
                }
            } else {
                add(a.root(), a.name(), path, st, 0);
            }
        }
        return out;
    }

    /**
     * -R: the directories above a relative name are sent first, as directories whose contents are not
     * part of the transfer (XMIT_NO_CONTENT_DIR), each once.
     */
    private void impliedDirs(Arg a) throws IOException {
        String name = a.name();
        int slash = name.indexOf('/');
        while (slash > 0) {
            String dirName = name.substring(0, slash);
            String path = join(a.dir(), dirName);
            if (implied.add(System.identityHashCode(a.root()) + "\0" + path)) {
                FileStat st = a.root().lstat(path);
                if (st != null && Modes.isDir(st.mode())) {
                    add(a.root(), dirName, path, st, Xmit.XMIT_NO_CONTENT_DIR);
                }
            }
            slash = name.indexOf('/', slash + 1);
        }
    }

    /**
     * send_directory(): lists a directory's entries; with {@code recurse} (-r) its subdirectories
     * are content directories and are walked in turn, without it (-d) they are sent alone.
     */
    private void walk(ConfinedRoot root, String topName, String topPath, boolean recurse) throws IOException {
        Deque<String[]> dirs = new ArrayDeque<>();
        dirs.add(new String[] {topName, topPath});
        int childDirFlags = recurse ? 0 : Xmit.XMIT_NO_CONTENT_DIR;
        while (!dirs.isEmpty()) {
            String[] d = dirs.poll();
            List<String> names;
            try {
                names = new ArrayList<>(root.list(d[1]));
            } catch (IOException e) {
                session.log().transferError("rsync: [sender] opendir \"" + d[1] + "\" failed: " + e.getMessage());
                session.addIoError(Xmit.IOERR_GENERAL);
                continue;
            }
            names.sort(null);
            List<String[]> subdirs = new ArrayList<>();
            for (String n : names) {
                String name = d[0].equals(".") ? n : d[0] + "/" + n;
                String path = join(d[1], n);
                FileStat st = root.lstat(path);
                if (st == null) {
                    continue;
                }
                if (add(root, name, path, st, childDirFlags) && recurse && Modes.isDir(st.mode())) {
                    subdirs.add(new String[] {name, path});
                }
            }
            // Depth-first like rsync's send_directory recursion: children before later siblings.
            for (int i = subdirs.size() - 1; i >= 0; i--) {
                dirs.push(subdirs.get(i));
            }
        }
    }

    private boolean add(ConfinedRoot root, String name, String path, FileStat st, int xflags) throws IOException {
        TransferOptions o = session.options();
        int mode = st.mode();
        String target = null;
        long size = st.size();
        byte[] sum = null;
        // make_file() lists symlinks, devices and specials whatever -l/-D say: the receiver skips
        // what it does not preserve ("skipping non-regular file"), and a listing shows them.
        if (Modes.isSymlink(mode)) {
            target = root.readlink(path);
            if (session.policy() != null && session.policy().mungeSymlinks()
                    && target.startsWith(SymlinkTargets.MUNGE_PREFIX)) {
                target = target.substring(SymlinkTargets.MUNGE_PREFIX.length());
            }
            if (target.isEmpty()) {
                return false;
            }
            size = dev.jrsync.protocol.fs.NameBytes.length(target);
        } else if (Modes.isDevice(mode) || Modes.isSpecial(mode)) {
            size = 0;
        } else if (Modes.isRegular(mode)) {
            if (o.checksum) {
                sum = fileChecksum(root, path);
            }
        } else if (!Modes.isDir(mode)) {
            return false;
        }
        FileEntry e = new FileEntry(name, mode, size, st.mtimeSec(), st.mtimeNsec(), st.uid(), st.gid(),
                st.rdevMajor(), st.rdevMinor(), target, sum, Modes.isDir(mode) ? xflags : 0);
        out.add(new Source(e, root, path));
        if (!Modes.isDir(mode)) {
            session.stats().totalSize.addAndGet(size);
        }
        return true;
    }

    private byte[] fileChecksum(ConfinedRoot root, String path) throws IOException {
        FileDigest d = session.profile().newListDigest();
        try (FileChannel ch = root.openRead(path)) {
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            while (ch.read(buf) > 0 || buf.position() > 0) {
                buf.flip();
                d.update(buf.array(), 0, buf.limit());
                buf.clear();
            }
        }
        return d.finish();
    }

    static String join(String dir, String name) {
        if (dir.isEmpty()) {
            return name;
        }
        if (name.isEmpty()) {
            return dir;
        }
        return dir + "/" + name;
    }

    private static String display(String path) {
        return path.isEmpty() ? "." : path;
    }
}
