package dev.jrsync.protocol.session;

import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.flist.Xmit;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.FileStat;
import dev.jrsync.protocol.fs.Modes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletions on the receiving side (delete.c:delete_item(), delete_dir_contents(), and
 * generator.c:delete_in_dir() for --delete): what the sender does not have, and what is in the
 * way of an item of another type. Used by the generator thread only.
 */
final class Deleter {
    private final ReceiveContext ctx;
    private final Session session;
    private final ConfinedRoot root;

    Deleter(ReceiveContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.root = ctx.root();
    }

    /** The names the file list holds, by parent directory: what delete_in_dir() keeps. */
    static Map<String, Set<String>> childNames(List<FileEntry> sorted) {
        Map<String, Set<String>> m = new HashMap<>();
        for (FileEntry e : sorted) {
            if (e == null || e.name().equals(".")) {
                continue;
            }
            int slash = e.name().lastIndexOf('/');
            String parent = slash < 0 ? "." : e.name().substring(0, slash);
            m.computeIfAbsent(parent, k -> new HashSet<>()).add(e.name().substring(slash + 1));
        }
        return m;
    }

    /** generator.c:delete_in_dir(): removes what the sender does not have in this directory. */
    void deleteExtraneous(FileEntry dir, Set<String> keep) throws IOException {
        String path = ctx.dest(dir);
        FileStat st = root.lstat(path);
        if (st == null || !st.isDir()) {
            return;
        }
        if ((session.ioError() & Xmit.IOERR_GENERAL) != 0) {
            session.log().warning("IO error encountered -- skipping file deletion");
            return;
        }
        for (Child c : childrenForDeletion(path)) {
            if (keep.contains(c.name())) {
                continue;
            }
            delete(SourceScanner.join(path, c.name()), c.stat(),
                    dir.name().equals(".") ? c.name() : dir.name() + "/" + c.name(), true);
        }
    }

    private record Child(String name, FileStat stat) {
    }

    /**
     * A directory's entries in the order rsync deletes them: the reverse of its file-list order
     * (files before subdirectories, by name), as delete_in_dir() and delete_dir_contents() walk.
     */
    private List<Child> childrenForDeletion(String path) throws IOException {
        List<Child> children = new ArrayList<>();
        for (String n : root.list(path)) {
            FileStat st = root.lstat(SourceScanner.join(path, n));
            if (st != null) {
                children.add(new Child(n, st));
            }
        }
        children.sort((a, b) -> {
            if (a.stat().isDir() != b.stat().isDir()) {
                return a.stat().isDir() ? -1 : 1;
            }
            return compareBytes(b.name(), a.name());
        });
        return children;
    }

    private static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(dev.jrsync.protocol.fs.NameBytes.encode(a), dev.jrsync.protocol.fs.NameBytes.encode(b));
    }

    /**
     * delete.c:delete_item(): removes {@code path} (a directory with its contents);
     * {@code report} counts and logs it as a deletion under the name {@code shown}.
     */
    void delete(String path, FileStat st, String shown, boolean report) throws IOException {
        if (st.isDir()) {
            for (Child c : childrenForDeletion(path)) {
                delete(SourceScanner.join(path, c.name()), c.stat(), shown + "/" + c.name(), report);
            }
            root.rmdir(path);
        } else {
            root.unlink(path);
        }
        if (report) {
            Stats s = session.stats();
            int mode = st.mode();
            if (st.isDir()) {
                s.deletedDirs.incrementAndGet();
            } else if (Modes.isSymlink(mode)) {
                s.deletedSymlinks.incrementAndGet();
            } else if (Modes.isDevice(mode)) {
                s.deletedDevices.incrementAndGet();
            } else if (Modes.isSpecial(mode)) {
                s.deletedSpecials.incrementAndGet();
            } else {
                s.deletedFiles.incrementAndGet();
            }
            session.deleted(shown, st.isDir());
        }
    }
}
