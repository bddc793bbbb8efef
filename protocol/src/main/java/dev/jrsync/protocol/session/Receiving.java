package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.delta.DeltaApplier;
import dev.jrsync.protocol.delta.Signature;
import dev.jrsync.protocol.delta.SumHead;
import dev.jrsync.protocol.delta.SumSizes;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.flist.FileListReader;
import dev.jrsync.protocol.flist.FileListResult;
import dev.jrsync.protocol.flist.FileListSort;
import dev.jrsync.protocol.flist.IdMapper;
import dev.jrsync.protocol.flist.IdNames;
import dev.jrsync.protocol.flist.Xmit;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.FileStat;
import dev.jrsync.protocol.fs.Modes;
import dev.jrsync.protocol.fs.TempFile;
import dev.jrsync.protocol.handshake.Compat;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.token.CompressedTokenReader;
import dev.jrsync.protocol.token.TokenCodecs;
import dev.jrsync.protocol.wire.Ndx;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The receiving side: the generator (requests, local changes, deletions; owns the output
 * direction) and the receiver (file data; owns the input direction) as two threads, the way
 * rsync forks them (generator.c, receiver.c, main.c:do_recv()). {@link #run} blocks until both
 * are done; the first failure ends both.
 */
public final class Receiving {
    private static final int EV_DONE = -1;
    private static final int EV_FAILED = -2;

    private final Session session;
    private ConfinedRoot root;
    private String destPrefix;
    private final LinkedBlockingQueue<Integer> events = new LinkedBlockingQueue<>();
    private final Set<Integer> redone = new HashSet<>();
    private List<FileEntry> sorted;
    private IdMapper ids;
    private String soloFile;
    private boolean rootCreated;
    private java.util.function.Consumer<FileEntry> lister;
    private CompressedTokenReader tokens;

    /**
     * @param root the confined destination root (a daemon module, or the client's destination)
     * @param destPrefix directory inside the root that receives the transfer ("" = the root)
     */
    public Receiving(Session session, ConfinedRoot root, String destPrefix) {
        this.session = session;
        this.root = root;
        this.destPrefix = destPrefix;
    }

    /** Reads the file list (on the calling thread) and returns it sorted; call before {@link #run}. */
    public List<FileEntry> receiveFileList() throws IOException {
        FileListReader reader = new FileListReader(session.in(), Transfer.flistOptions(session), session.memory());
        long before = session.in().bytesRead();
        FileListResult result = reader.readAll();
        session.stats().flistSize.set(session.in().bytesRead() - before);
        session.addIoError(result.ioError());
        sorted = FileListSort.clean(FileListSort.sorted(result.entries(), session.protocol()), session.protocol());
        ids = new IdMapper(IdNames.system(), result.uidNames(), result.gidNames(), session.options().numericIds,
                session.setupResult().has(Compat.CF_ID0_NAMES));
        long total = 0;
        for (FileEntry e : sorted) {
            if (e != null) {
                session.stats().countEntry(e);
                if (!e.isDir()) {
                    total += e.size();
                }
            }
        }
        session.stats().totalSize.set(total);
        return sorted;
    }

    /** Sets the destination once the file list is known (a client may need it to decide). */
    public Receiving withRoot(ConfinedRoot root, String destPrefix) {
        this.root = root;
        this.destPrefix = destPrefix;
        return this;
    }

    /**
     * A single regular file sent to a destination that is not a directory is written under that
     * name (main.c:get_local_name()).
     */
    public void setSoloFile(String relPath) {
        this.soloFile = relPath;
    }

    /**
     * --list-only: the generator hands each entry to {@code lister} (generator.c:list_file_entry())
     * instead of comparing it with a destination, which then need not exist.
     */
    public void setListOnly(java.util.function.Consumer<FileEntry> lister) {
        this.lister = lister;
    }

    /** The destination directory was just created for this transfer (main.c FLAG_DIR_CREATED). */
    public void markRootCreated() {
        this.rootCreated = true;
    }

    public int run() throws IOException {
        session.armKeepAlive();
        IOException[] genFailure = new IOException[1];
        Thread generator = Thread.ofVirtual().name("jrsync-generator").start(() -> {
            try {
                generate();
            } catch (IOException e) {
                genFailure[0] = e;
                session.closeForFailure();
            } catch (RuntimeException e) {
                genFailure[0] = new IOException(e);
                session.closeForFailure();
            }
        });
        try {
            receive();
        } catch (IOException | RuntimeException e) {
            events.add(EV_FAILED);
            generator.interrupt();
            joinQuietly(generator);
            if (genFailure[0] != null && !(e instanceof RsyncException)) {
                throw genFailure[0];
            }
            throw e;
        }
        joinQuietly(generator);
        if (genFailure[0] != null) {
            throw genFailure[0];
        }
        return session.exitCode();
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- generator

    private void generate() throws IOException {
        WireOutput out = session.out();
        TransferOptions o = session.options();
        int proto = session.protocol();
        boolean listOnly = lister != null;
        Map<String, Set<String>> children = o.deleting() && !listOnly ? childNames() : Map.of();
        List<Integer> dirs = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            FileEntry e = sorted.get(i);
            if (e == null) {
                continue;
            }
            if (listOnly) {
                lister.accept(e);
                continue;
            }
            if (e.isDir()) {
                dirs.add(i);
            }
            generateOne(out, i, e, false);
            if (e.isDir() && o.deleting() && e.isContentDir() && !o.dryRun) {
                deleteExtraneous(e, children.getOrDefault(e.name(), Set.of()));
            }
        }
        out.writeNdx(Ndx.DONE);
        out.flush();
        // Phase 1: redo requests until the receiver has seen the end of phase 0.
        while (true) {
            int ev = take();
            if (ev == EV_DONE) {
                break;
            }
            generateOne(out, ev, sorted.get(ev), true);
            out.flush();
        }
        out.writeNdx(Ndx.DONE);
        if (proto >= 29) {
            out.writeNdx(Ndx.DONE);
        }
        if (proto >= 31) {
            if (o.deleting()) {
                out.writeNdx(Ndx.DEL_STATS);
                Transfer.writeDelStats(session, out);
            }
            out.writeNdx(Ndx.DONE);
        }
        out.flush();
        // The receiver reports the end of phase 1, then (protocol 29+) of the delay-updates phase.
        takeDone();
        if (proto >= 29) {
            takeDone();
        }
        if (!o.dryRun) {
            for (int k = dirs.size() - 1; k >= 0; k--) {
                FileEntry e = sorted.get(dirs.get(k));
                finishDir(e, dest(e));
            }
        }
        out.writeNdx(Ndx.DONE);
        out.flush();
    }

    private int take() throws IOException {
        try {
            int ev = events.take();
            if (ev == EV_FAILED) {
                throw new RsyncException(ExitCode.RERR_STREAMIO, "receiver failed", null, true);
            }
            return ev;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RsyncException(ExitCode.RERR_SIGNAL, "interrupted", e, true);
        }
    }

    private void takeDone() throws IOException {
        while (take() != EV_DONE) {
            // Redo requests after phase 1 are not possible; rsync ignores them too.
        }
    }

    private Map<String, Set<String>> childNames() {
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

    private String dest(FileEntry e) {
        if (soloFile != null) {
            return soloFile;
        }
        return SourceScanner.join(destPrefix, e.name().equals(".") ? "" : e.name());
    }

    /** generator.c:recv_generator() at INFO NONREG (on unless -q): a type the options do not preserve. */
    private void skipNonRegular(FileEntry e) {
        if (!session.options().quiet) {
            session.log().info("skipping non-regular file \"" + e.name() + "\"");
        }
    }

    private void generateOne(WireOutput out, int ndx, FileEntry e, boolean redo) throws IOException {
        TransferOptions o = session.options();
        String path = dest(e);
        FileStat st = root.lstat(path);
        if (e.isDir()) {
            if (st != null && !st.isDir()) {
                if (!o.dryRun) {
                    deletePath(path, st, e.name(), false);
                }
                st = null;
            }
            int iflags;
            if (st == null || (rootCreated && e.name().equals("."))) {
                if (st == null && !o.dryRun) {
                    root.mkdir(path, (e.permissions() | 0700) & 07777);
                }
                session.stats().createdDirs.incrementAndGet();
                iflags = Item.IS_NEW | Item.LOCAL_CHANGE;
            } else {
                iflags = attrFlags(e, st);
            }
            itemize(out, ndx, iflags);
            return;
        }
        if (e.isSymlink()) {
            if (!o.links) {
                skipNonRegular(e);
                return;
            }
            String target = o.mungeSymlinks ? SymlinkTargets.MUNGE_PREFIX + e.linkTarget()
                    : o.sanitizeSymlinks ? SymlinkTargets.sanitize(e.linkTarget(), SymlinkTargets.depthOf(e.name()))
                    : e.linkTarget();
            int iflags;
            if (st != null && st.isSymlink() && target.equals(root.readlink(path))) {
                iflags = attrFlags(e, st);
                if (!o.dryRun && (iflags & Item.REPORT_TIME) != 0) {
                    setTimesQuietly(path, e, true);
                }
            } else {
                if (!o.dryRun) {
                    if (st != null) {
                        deletePath(path, st, e.name(), false);
                    }
                    root.symlink(target, path);
                    applyOwner(path, e, null);
                    setTimesQuietly(path, e, true);
                }
                session.stats().createdSymlinks.incrementAndGet();
                iflags = st == null ? Item.IS_NEW | Item.LOCAL_CHANGE : Item.LOCAL_CHANGE | Item.REPORT_CHANGE;
            }
            itemize(out, ndx, iflags);
            return;
        }
        if (e.isDevice() || e.isSpecial()) {
            if (e.isDevice() ? !o.devices : !o.specials) {
                skipNonRegular(e);
                return;
            }
            boolean same = st != null && (st.mode() & Modes.S_IFMT) == (e.mode() & Modes.S_IFMT)
                    && (!e.isDevice() || (st.rdevMajor() == e.rdevMajor() && st.rdevMinor() == e.rdevMinor()));
            int iflags;
            if (same) {
                iflags = attrFlags(e, st);
                if (!o.dryRun) {
                    applyAttrs(path, e, st);
                }
            } else {
                if (!o.dryRun) {
                    if (st != null) {
                        deletePath(path, st, e.name(), false);
                    }
                    root.mknod(path, e.mode(), FileStat.makedev(e.rdevMajor(), e.rdevMinor()));
                    applyAttrs(path, e, null);
                }
                if (e.isDevice()) {
                    session.stats().createdDevices.incrementAndGet();
                } else {
                    session.stats().createdSpecials.incrementAndGet();
                }
                iflags = (st == null ? Item.IS_NEW : 0) | Item.LOCAL_CHANGE;
            }
            itemize(out, ndx, iflags);
            return;
        }
        if (!e.isRegular()) {
            return;
        }
        if (st != null && !st.isRegular()) {
            if (!o.dryRun) {
                deletePath(path, st, e.name(), false);
            }
            st = null;
        }
        if (st != null && !redo && upToDate(e, st, path)) {
            int iflags = attrFlags(e, st);
            if (!o.dryRun) {
                applyAttrs(path, e, st);
            }
            itemize(out, ndx, iflags);
            return;
        }
        int iflags = Item.TRANSFER;
        if (st == null) {
            iflags |= Item.IS_NEW;
            session.stats().createdFiles.incrementAndGet();
        } else {
            iflags |= attrFlags(e, st);
            if (st.size() != e.size()) {
                iflags |= Item.REPORT_SIZE;
            }
            if (o.checksum) {
                iflags |= Item.REPORT_CHANGE;
            }
        }
        out.writeNdx(ndx);
        if (session.protocol() >= 29) {
            out.writeShort(iflags);
        }
        if (o.dryRun) {
            return;
        }
        if (st == null || st.size() == 0 || wholeFile()) {
            SumHead.EMPTY.write(out, session.protocol());
            return;
        }
        SumHead head = SumSizes.forLength(st.size(), session.protocol(), o.blockSize,
                session.profile().digestLength(), redo);
        try (FileChannel ch = root.openRead(path)) {
            Signature sig = Signature.generate(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16),
                    head, session.profile());
            sig.head().write(out, session.protocol());
            sig.write(out);
        } catch (IOException ex) {
            // An unreadable basis: ask for the whole file, as rsync does.
            SumHead.EMPTY.write(out, session.protocol());
        }
    }

    private boolean wholeFile() {
        return session.options().useWholeFile();
    }

    /** generator.c:quick_check_ok() for regular files. */
    private boolean upToDate(FileEntry e, FileStat st, String path) throws IOException {
        TransferOptions o = session.options();
        if (st.size() != e.size()) {
            return false;
        }
        if (o.checksum) {
            FileDigest d = session.profile().newListDigest();
            try (FileChannel ch = root.openRead(path); var is = Channels.newInputStream(ch)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = is.read(buf)) > 0) {
                    d.update(buf, 0, n);
                }
            }
            return e.checksum() != null && MessageDigest.isEqual(d.finish(), e.checksum());
        }
        if (o.sizeOnly) {
            return true;
        }
        if (o.ignoreTimes) {
            return false;
        }
        return st.mtimeSec() == e.mtime();
    }

    /** The report bits of generator.c:itemize() for an existing item. */
    private int attrFlags(FileEntry e, FileStat st) {
        TransferOptions o = session.options();
        int iflags = 0;
        if (o.times && st.mtimeSec() != e.mtime()) {
            iflags |= Item.REPORT_TIME;
        }
        if (o.perms && !e.isSymlink() && (st.mode() & 07777) != e.permissions()) {
            iflags |= Item.REPORT_PERMS;
        }
        if (o.owner && isRoot() && st.uid() != ids.mapUid(e.uid())) {
            iflags |= Item.REPORT_OWNER;
        }
        if (o.group && st.gid() != ids.mapGid(e.gid())) {
            iflags |= Item.REPORT_GROUP;
        }
        return iflags;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** generator.c:itemize() sends significant items (protocol 29+) for the sender to echo back. */
    private void itemize(WireOutput out, int ndx, int iflags) throws IOException {
        TransferOptions o = session.options();
        if ((iflags & Item.SIGNIFICANT) == 0 && o.verbose <= 1) {
            return;
        }
        if (session.protocol() >= 29) {
            out.writeNdx(ndx);
            out.writeShort(iflags);
        } else if (!session.isServer() && o.logsItems()) {
            // Older peers cannot echo items back, so a client generator logs them itself.
            FileEntry e = sorted.get(ndx);
            session.log().info(Item.logLine(e, iflags, o.itemize, false, o.times));
        }
    }

    private void applyAttrs(String path, FileEntry e, FileStat st) throws IOException {
        TransferOptions o = session.options();
        if (o.perms && (st == null || (st.mode() & 07777) != e.permissions())) {
            root.chmod(path, e.permissions());
        }
        applyOwner(path, e, st);
        if (o.times && (st == null || st.mtimeSec() != e.mtime() || st.mtimeNsec() != e.mtimeNsec())) {
            root.setTimes(path, e.mtime(), e.mtimeNsec(), false);
        }
    }

    private void applyOwner(String path, FileEntry e, FileStat st) throws IOException {
        TransferOptions o = session.options();
        int uid = o.owner && isRoot() ? ids.mapUid(e.uid()) : -1;
        int gid = o.group ? ids.mapGid(e.gid()) : -1;
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

    private void setTimesQuietly(String path, FileEntry e, boolean noFollow) {
        if (!session.options().times) {
            return;
        }
        try {
            root.setTimes(path, e.mtime(), e.mtimeNsec(), noFollow);
        } catch (IOException ignored) {
            // Symlink times are best effort, like rsync without CAN_SET_SYMLINK_TIMES.
        }
    }

    private void finishDir(FileEntry e, String path) throws IOException {
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

    /** generator.c:delete_in_dir(): removes what the sender does not have in this directory. */
    private void deleteExtraneous(FileEntry dir, Set<String> keep) throws IOException {
        String path = dest(dir);
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
            deletePath(SourceScanner.join(path, c.name()), c.stat(),
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
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void deletePath(String path, FileStat st, String shown, boolean report) throws IOException {
        if (st.isDir()) {
            for (Child c : childrenForDeletion(path)) {
                deletePath(SourceScanner.join(path, c.name()), c.stat(), shown + "/" + c.name(), report);
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
            session.log().deleted(shown, st.isDir());
        }
    }

    // ---------------------------------------------------------------- receiver

    private void receive() throws IOException {
        WireInput in = session.in();
        // One token reader for the session: zstd's stream continues across files.
        tokens = TokenCodecs.reader(session.compression(), in, session.protocol());
        TransferOptions o = session.options();
        int proto = session.protocol();
        int phase = 0;
        int maxPhase = proto >= 29 ? 2 : 1;
        while (true) {
            int ndx = in.readNdx();
            if (ndx == Ndx.DONE) {
                if (++phase > maxPhase) {
                    break;
                }
                events.add(EV_DONE);
                continue;
            }
            if (ndx == Ndx.DEL_STATS && proto >= 31) {
                Transfer.applyDelStats(session, Transfer.readDelStats(in));
                continue;
            }
            if (ndx < 0 || ndx >= sorted.size() || sorted.get(ndx) == null) {
                throw RsyncException.protocol("Invalid file index: " + ndx + " (-1 - " + (sorted.size() - 1)
                        + ") [receiver]");
            }
            FileEntry e = sorted.get(ndx);
            int iflags = proto >= 29 ? in.readShort() : Item.TRANSFER | Item.MISSING_DATA;
            if ((iflags & Item.BASIS_TYPE_FOLLOWS) != 0) {
                in.readByte();
            }
            if ((iflags & Item.XNAME_FOLLOWS) != 0) {
                in.readVstring(4096);
            }
            if ((iflags & Item.TRANSFER) == 0) {
                if (!session.isServer() && o.logsItems() && Item.worthLogging(iflags, o.itemize ? 1 : 0)) {
                    session.log().info(Item.logLine(e, iflags, o.itemize, false, o.times));
                }
                continue;
            }
            if (!e.isRegular()) {
                throw RsyncException.protocol("got transfer request for non-regular file " + e.name() + " [receiver]");
            }
            if (phase == 2) {
                throw RsyncException.protocol("got transfer request in phase 2 [receiver]");
            }
            if (!session.isServer() && o.logsItems()) {
                session.log().info(Item.logLine(e, iflags, o.itemize, false, o.times));
            }
            if (o.dryRun) {
                session.stats().transferredFiles.incrementAndGet();
                session.stats().transferredSize.addAndGet(e.size());
                continue;
            }
            receiveFile(ndx, e, phase);
        }
        if (!session.isServer() && !session.options().sender) {
            readStats(in, proto);
        }
        events.add(EV_DONE);
        if (proto >= 31) {
            int i;
            do {
                i = in.readNdx();
                if (i == Ndx.DEL_STATS) {
                    Transfer.applyDelStats(session, Transfer.readDelStats(in));
                }
            } while (i == Ndx.DEL_STATS);
            if (i != Ndx.DONE) {
                throw new RsyncException(ExitCode.RERR_PROTOCOL, "Invalid packet at end of run (" + i + ") [receiver]");
            }
        }
    }

    private void readStats(WireInput in, int proto) throws IOException {
        long read = in.readVarlong30(3);
        long written = in.readVarlong30(3);
        in.readVarlong30(3);
        if (proto >= 29) {
            session.stats().flistBuildMillis.set(in.readVarlong30(3));
            session.stats().flistTransferMillis.set(in.readVarlong30(3));
        }
        session.stats().peerRead = read;
        session.stats().peerWritten = written;
    }

    private void receiveFile(int ndx, FileEntry e, int phase) throws IOException {
        WireInput in = session.in();
        String path = dest(e);
        SumHead head = SumHead.read(in, session.protocol(), session.profile().digestLength());
        FileChannel basis = null;
        if (head.count() > 0) {
            try {
                basis = root.openRead(path);
            } catch (IOException ex) {
                basis = null;
            }
        }
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String base = path.substring(slash + 1);
        TempFile temp = null;
        IOException writeError = null;
        try {
            temp = root.createTemp(dir, base);
        } catch (IOException ex) {
            writeError = ex;
        }
        FileDigest digest = session.profile().newFileDigest();
        DeltaApplier.Result result;
        try (FileChannel b = basis) {
            OutputStream os = temp == null ? OutputStream.nullOutputStream()
                    : new BufferedOutputStream(Channels.newOutputStream(temp.channel()), 1 << 18);
            tokens.startFile(head.count());
            result = DeltaApplier.apply(tokens, head, b, os, digest);
            os.flush();
        } catch (RsyncException ex) {
            if (temp != null) {
                temp.close();
            }
            throw ex;
        }
        byte[] theirs = new byte[session.profile().digestLength()];
        in.readFully(theirs, 0, theirs.length);
        byte[] ours = digest.finish();
        session.stats().literalData.addAndGet(result.literalBytes());
        session.stats().matchedData.addAndGet(result.matchedBytes());
        session.stats().transferredFiles.incrementAndGet();
        session.stats().transferredSize.addAndGet(e.size());
        if (temp == null) {
            session.log().transferError("rsync: [receiver] mkstemp \"" + path + "\" failed: " + writeError.getMessage());
            session.noteTransferError();
            return;
        }
        if (!MessageDigest.isEqual(ours, theirs)) {
            temp.close();
            if (phase == 0 && redone.add(ndx)) {
                session.log().warning("WARNING: " + e.name() + " failed verification -- update discarded (will try again).");
                events.add(ndx);
            } else {
                session.log().transferError("ERROR: " + e.name() + " failed verification -- update discarded.");
                session.noteTransferError();
            }
            return;
        }
        try {
            TransferOptions o = session.options();
            int perms = o.perms ? e.permissions() : e.permissions() & ~022;
            root.chmod(temp.relPath(), perms);
            applyOwner(temp.relPath(), e, null);
            if (o.times) {
                root.setTimes(temp.relPath(), e.mtime(), e.mtimeNsec(), true);
            }
            temp.commit(path);
        } catch (IOException ex) {
            temp.close();
            session.log().transferError("rsync: [receiver] rename \"" + temp.relPath() + "\" -> \"" + path
                    + "\": " + ex.getMessage());
            session.noteTransferError();
        }
    }
}
