package dev.jrsync.protocol.session;

import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.flist.FileListReader;
import dev.jrsync.protocol.flist.FileListResult;
import dev.jrsync.protocol.flist.FileListSort;
import dev.jrsync.protocol.flist.IdMapper;
import dev.jrsync.protocol.flist.IdNames;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.handshake.Compat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The receiving side (main.c:do_recv()): reads the file list, then runs the {@link Generator}
 * (requests, local changes, deletions; owns the output direction) and the {@link Receiver}
 * (file data; owns the input direction) as two threads, the way rsync forks them. Configure and
 * call from one thread; {@link #run} blocks until both roles are done, and the first failure
 * ends both.
 */
public final class Receiving {
    private final Session session;
    private ConfinedRoot root;
    private String destPrefix;
    private List<FileEntry> sorted;
    private IdMapper ids;
    private String soloFile;
    private boolean rootCreated;
    private Consumer<FileEntry> lister;

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
    public void setListOnly(Consumer<FileEntry> lister) {
        this.lister = lister;
    }

    /** The destination directory was just created for this transfer (main.c FLAG_DIR_CREATED). */
    public void markRootCreated() {
        this.rootCreated = true;
    }

    /**
     * Runs the generator on a virtual thread and the receiver on this one until both are done;
     * the first failure ends both (see {@link RoleScope}). Returns the session's exit code.
     */
    public int run() throws IOException {
        session.armKeepAlive();
        ReceiveContext ctx = new ReceiveContext(session, root, destPrefix, sorted, ids, soloFile);
        FileAttrs attrs = new FileAttrs(ctx);
        BlockingQueue<ReceiverEvent> events = new LinkedBlockingQueue<>();
        Generator generator = new Generator(ctx, attrs, new Deleter(ctx), events, rootCreated, lister);
        Receiver receiver = new Receiver(ctx, attrs, events);
        RoleScope roles = RoleScope.fork("jrsync-generator", generator::run, session::closeForFailure);
        roles.runAndJoin(receiver::run, () -> events.add(new ReceiverEvent.Failed()));
        return session.exitCode();
    }
}
