package dev.jrsync.protocol.flist;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * rsync's file-list order and duplicate removal; both sides must agree on it because file indexes
 * are positions in the sorted list. Stateless; thread-safe.
 */
public final class FileListSort {
    private FileListSort() {
    }

    /** A stable sort with flist.c:f_name_cmp() (the comparison changed in protocol 29). */
    public static List<FileEntry> sorted(List<FileEntry> wireOrder, int protocol) {
        List<Key> keys = new ArrayList<>(wireOrder.size());
        for (FileEntry e : wireOrder) {
            keys.add(new Key(e));
        }
        boolean newOrder = protocol >= 29;
        keys.sort((a, b) -> compare(a, b, newOrder));
        List<FileEntry> out = new ArrayList<>(keys.size());
        for (Key k : keys) {
            out.add(k.entry);
        }
        return out;
    }

    /**
     * Receiver-side duplicate removal, mirroring flist.c:flist_sort_and_clean(): of entries that
     * compare equal the first is kept, unless a later one is a directory and the kept one is not;
     * from protocol 29 on a directory also duplicates an earlier non-directory of the same name.
     * A dropped entry becomes null at its index; a kept directory absorbs the dropped one's
     * top-dir/content-dir flags. The result has the same size as the input.
     */
    public static List<FileEntry> clean(List<FileEntry> sorted, int protocol) {
        boolean newOrder = protocol >= 29;
        List<Key> keys = new ArrayList<>(sorted.size());
        for (FileEntry e : sorted) {
            keys.add(e == null ? null : new Key(e));
        }
        // Indexes of the active entries seen so far, in ascending order (flist_find()'s search range).
        List<Integer> active = new ArrayList<>();
        int prev = -1;
        for (int i = 0; i < keys.size(); i++) {
            Key file = keys.get(i);
            if (file == null) {
                continue;
            }
            if (prev < 0) {
                prev = i;
                active.add(i);
                continue;
            }
            int j = -1;
            if (compare(file, keys.get(prev), newOrder) == 0) {
                j = prev;
            } else if (newOrder && file.isDir) {
                j = findNonDir(keys, active, file);
            }
            if (j < 0) {
                prev = i;
                active.add(i);
                continue;
            }
            Key kept = keys.get(j);
            if (file.isDir && !kept.isDir) {
                keys.set(j, null);
                active.remove(Integer.valueOf(j));
                prev = i;
                active.add(i);
            } else {
                if (file.isDir) {
                    keys.set(j, new Key(mergeDirFlags(kept.entry, file.entry)));
                }
                keys.set(i, null);
            }
        }
        List<FileEntry> out = new ArrayList<>(keys.size());
        for (Key k : keys) {
            out.add(k == null ? null : k.entry);
        }
        return out;
    }

    // The receiver's flag merge: top-dir and content-dir are or-ed in, implied-dir survives only if
    // both were implied.
    private static FileEntry mergeDirFlags(FileEntry kept, FileEntry dropped) {
        boolean content = kept.isContentDir() || dropped.isContentDir();
        int x = kept.xflags() & ~(Xmit.XMIT_TOP_DIR | Xmit.XMIT_NO_CONTENT_DIR);
        if (content) {
            if (kept.isTopDir() || dropped.isTopDir()) {
                x |= Xmit.XMIT_TOP_DIR;
            }
        } else {
            x |= Xmit.XMIT_NO_CONTENT_DIR;
            if (kept.isImpliedDir() && dropped.isImpliedDir()) {
                x |= Xmit.XMIT_TOP_DIR;
            }
        }
        return x == kept.xflags() ? kept : kept.withXflags(x);
    }

    /** flist.c:flist_find() with the directory posing as a regular file. */
    private static int findNonDir(List<Key> keys, List<Integer> active, Key dir) {
        Key probe = dir.asNonDir();
        int lo = 0;
        int hi = active.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int idx = active.get(mid);
            int d = compare(keys.get(idx), probe, true);
            if (d == 0) {
                return idx;
            }
            if (d < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    private static final class Key {
        final FileEntry entry;
        final byte[] dir;
        final byte[] base;
        final boolean isDir;

        Key(FileEntry e) {
            this(e, e.isDir());
        }

        private Key(FileEntry e, boolean isDir) {
            this.entry = e;
            this.isDir = isDir;
            byte[] n = dev.jrsync.protocol.fs.NameBytes.encode(e.name());
            int slash = -1;
            for (int i = n.length - 1; i >= 0; i--) {
                if (n[i] == '/') {
                    slash = i;
                    break;
                }
            }
            this.dir = slash < 0 ? null : Arrays.copyOf(n, slash);
            this.base = slash < 0 ? n : Arrays.copyOfRange(n, slash + 1, n.length);
        }

        Key asNonDir() {
            return new Key(entry, false);
        }
    }

    private static final byte[] EMPTY = {};
    private static final byte[] SLASH = {'/'};

    private enum State { DIR, SLASH, BASE, TRAILING }

    /** One side of the comparison: walks dirname, "/", basename and (dirs) a trailing "/". */
    private static final class Cursor {
        final Key key;
        final boolean newOrder;
        byte[] cur;
        int pos;
        State state;
        boolean path;

        Cursor(Key key, boolean newOrder) {
            this.key = key;
            this.newOrder = newOrder;
            if (key.dir == null) {
                startBase();
            } else {
                path = newOrder;
                state = State.DIR;
                cur = key.dir;
            }
        }

        /** The basename; the root "." sorts as an empty name. */
        void startBase() {
            path = newOrder && key.isDir;
            cur = key.base;
            pos = 0;
            if (path && key.base.length == 1 && key.base[0] == '.') {
                path = false;
                state = State.TRAILING;
                cur = EMPTY;
            } else {
                state = State.BASE;
            }
        }

        boolean atEnd() {
            return pos >= cur.length;
        }

        int ch() {
            return atEnd() ? 0 : cur[pos] & 0xFF;
        }

        /** Moves to the next segment; returns true when the name is used up. */
        boolean advance() {
            switch (state) {
                case DIR -> {
                    state = State.SLASH;
                    cur = SLASH;
                    pos = 0;
                    return false;
                }
                case SLASH -> {
                    startBase();
                    return false;
                }
                case BASE -> {
                    state = State.TRAILING;
                    if (path) {
                        cur = SLASH;
                        pos = 0;
                        return false;
                    }
                    path = false;
                    return true;
                }
                default -> {
                    path = false;
                    return true;
                }
            }
        }
    }

    /** Mirrors flist.c:f_name_cmp(). */
    static int compare(Key a, Key b, boolean newOrder) {
        Cursor c1 = new Cursor(a, newOrder);
        Cursor c2 = new Cursor(b, newOrder);
        if (c1.path != c2.path) {
            return c1.path ? 1 : -1;
        }
        while (true) {
            if (c1.atEnd()) {
                c1.advance();
                if (!c2.atEnd() && c1.path != c2.path) {
                    return c1.path ? 1 : -1;
                }
            }
            if (c2.atEnd()) {
                if (c2.advance() && c1.atEnd()) {
                    return 0;
                }
                if (c1.path != c2.path) {
                    return c1.path ? 1 : -1;
                }
            }
            int dif = c1.ch() - c2.ch();
            if (dif != 0) {
                return dif;
            }
            if (!c1.atEnd()) {
                c1.pos++;
            }
            if (!c2.atEnd()) {
                c2.pos++;
            }
        }
    }

    /** Convenience for tests and callers that compare two entries directly. */
    static int compare(FileEntry a, FileEntry b, int protocol) {
        return compare(new Key(a), new Key(b), protocol >= 29);
    }
}
