package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.delta.Signature;
import dev.jrsync.protocol.delta.SumHead;
import dev.jrsync.protocol.delta.SumSizes;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.FileStat;
import dev.jrsync.protocol.fs.Modes;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.wire.Ndx;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The generator (generator.c:generate_files()): walks the file list, makes directories, links
 * and special files itself, asks the sender for the regular files that differ (with a signature
 * of the basis), itemizes, deletes with --delete, and runs the redo phase from the receiver's
 * {@link ReceiverEvent}s. Owns the session's output direction; runs on one thread.
 */
final class Generator {
    private final ReceiveContext ctx;
    private final Session session;
    private final ConfinedRoot root;
    private final List<FileEntry> sorted;
    private final FileAttrs attrs;
    private final Deleter deleter;
    private final BlockingQueue<ReceiverEvent> events;
    private final boolean rootCreated;
    private final Consumer<FileEntry> lister;

    /**
     * @param rootCreated the destination directory was created for this transfer
     * @param lister      --list-only: receives every entry instead of the destination, or null
     */
    Generator(ReceiveContext ctx, FileAttrs attrs, Deleter deleter, BlockingQueue<ReceiverEvent> events,
              boolean rootCreated, Consumer<FileEntry> lister) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.root = ctx.root();
        this.sorted = ctx.sorted();
        this.attrs = attrs;
        this.deleter = deleter;
        this.events = events;
        this.rootCreated = rootCreated;
        this.lister = lister;
    }

    /** Phase 0, the redo phase, the delete statistics and the final directory touch-ups. */
    void run() throws IOException {
        WireOutput out = session.out();
        TransferOptions o = session.options();
        int proto = session.protocol();
        boolean listOnly = lister != null;
        Map<String, Set<String>> children = o.deleting() && !listOnly ? Deleter.childNames(sorted) : Map.of();
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
                deleter.deleteExtraneous(e, children.getOrDefault(e.name(), Set.of()));
            }
        }
        out.writeNdx(Ndx.DONE);
        out.flush();
        // Phase 1: redo requests until the receiver has seen the end of phase 0.
        while (take() instanceof ReceiverEvent.Redo(int ndx)) {
            generateOne(out, ndx, sorted.get(ndx), true);
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
                attrs.finishDir(e, ctx.dest(e));
            }
        }
        out.writeNdx(Ndx.DONE);
        out.flush();
    }

    /** The next redo or phase end; a failed receiver ends the generator. */
    private ReceiverEvent take() throws IOException {
        try {
            ReceiverEvent ev = events.take();
            if (ev instanceof ReceiverEvent.Failed) {
                throw new RsyncException(ExitCode.RERR_STREAMIO, "receiver failed", null, true);
            }
            return ev;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RsyncException(ExitCode.RERR_SIGNAL, "interrupted", e, true);
        }
    }

    private void takeDone() throws IOException {
        while (!(take() instanceof ReceiverEvent.PhaseDone)) {
            // Redo requests after phase 1 are not possible; rsync ignores them too.
        }
    }

    /** generator.c:recv_generator() at INFO NONREG (on unless -q): a type the options do not preserve. */
    private void skipNonRegular(FileEntry e) {
        if (!session.options().quiet) {
            session.log().info("skipping non-regular file \"" + e.name() + "\"");
        }
    }

    /** generator.c:recv_generator() for one entry; {@code redo} in phase 1. */
    private void generateOne(WireOutput out, int ndx, FileEntry e, boolean redo) throws IOException {
        TransferOptions o = session.options();
        String path = ctx.dest(e);
        FileStat st = root.lstat(path);
        if (e.isDir()) {
            if (st != null && !st.isDir()) {
                if (!o.dryRun) {
                    deleter.delete(path, st, e.name(), false);
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
            DaemonPolicy policy = session.policy();
            String target = policy != null && policy.mungeSymlinks() ? SymlinkTargets.MUNGE_PREFIX + e.linkTarget()
                    : policy != null && policy.sanitizeSymlinks() ? SymlinkTargets.sanitize(e.linkTarget(), SymlinkTargets.depthOf(e.name()))
                    : e.linkTarget();
            int iflags;
            if (st != null && st.isSymlink() && target.equals(root.readlink(path))) {
                iflags = attrFlags(e, st);
                if (!o.dryRun && (iflags & Item.REPORT_TIME) != 0) {
                    attrs.setTimesQuietly(path, e, true);
                }
            } else {
                if (!o.dryRun) {
                    if (st != null) {
                        deleter.delete(path, st, e.name(), false);
                    }
                    root.symlink(target, path);
                    attrs.applyOwner(path, e, null);
                    attrs.setTimesQuietly(path, e, true);
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
                    attrs.apply(path, e, st);
                }
            } else {
                if (!o.dryRun) {
                    if (st != null) {
                        deleter.delete(path, st, e.name(), false);
                    }
                    root.mknod(path, e.mode(), FileStat.makedev(e.rdevMajor(), e.rdevMinor()));
                    attrs.apply(path, e, null);
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
                deleter.delete(path, st, e.name(), false);
            }
            st = null;
        }
        if (st != null && !redo && upToDate(e, st, path)) {
            int iflags = attrFlags(e, st);
            if (!o.dryRun) {
                attrs.apply(path, e, st);
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
        if (st == null || st.size() == 0 || o.useWholeFile()) {
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
        if (o.owner && FileAttrs.isRoot() && st.uid() != ctx.ids().mapUid(e.uid())) {
            iflags |= Item.REPORT_OWNER;
        }
        if (o.group && st.gid() != ctx.ids().mapGid(e.gid())) {
            iflags |= Item.REPORT_GROUP;
        }
        return iflags;
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
        } else {
            // Older peers cannot echo items back, so a client generator reports them itself.
            FileEntry e = sorted.get(ndx);
            session.item(e, iflags, (iflags & Item.TRANSFER) != 0 ? ItemEvent.Outcome.TRANSFERRED
                    : ItemEvent.withoutData(iflags), false, null, o.logsItems());
        }
    }
}
