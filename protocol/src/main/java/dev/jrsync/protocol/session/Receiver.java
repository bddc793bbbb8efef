package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.FileDigest;
import dev.jrsync.protocol.delta.DeltaApplier;
import dev.jrsync.protocol.delta.SumHead;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.fs.TempFile;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.token.CompressedTokenReader;
import dev.jrsync.protocol.token.TokenCodecs;
import dev.jrsync.protocol.wire.Ndx;
import dev.jrsync.protocol.wire.WireInput;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;

/**
 * The receiver (receiver.c:recv_files()): reads the sender's file data, rebuilds each file from
 * its basis into a temp file beside it, verifies the whole-file checksum, and renames it into
 * place (or asks the generator for a redo). Reports phase ends and redos as
 * {@link ReceiverEvent}s. Owns the session's input direction; runs on one thread.
 */
final class Receiver {
    private final ReceiveContext ctx;
    private final Session session;
    private final ConfinedRoot root;
    private final List<FileEntry> sorted;
    private final FileAttrs attrs;
    private final BlockingQueue<ReceiverEvent> events;
    private final Set<Integer> redone = new HashSet<>();
    private CompressedTokenReader tokens;

    Receiver(ReceiveContext ctx, FileAttrs attrs, BlockingQueue<ReceiverEvent> events) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.root = ctx.root();
        this.sorted = ctx.sorted();
        this.attrs = attrs;
        this.events = events;
    }

    /** Until the sender's last NDX_DONE (and, as a client receiver, its statistics). */
    void run() throws IOException {
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
                events.add(new ReceiverEvent.PhaseDone());
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
                session.item(e, iflags, ItemEvent.withoutData(iflags), false, null,
                        o.logsItems() && Item.worthLogging(iflags, o.itemize ? 1 : 0));
                continue;
            }
            if (!e.isRegular()) {
                throw RsyncException.protocol("got transfer request for non-regular file " + e.name() + " [receiver]");
            }
            if (phase == 2) {
                throw RsyncException.protocol("got transfer request in phase 2 [receiver]");
            }
            session.item(e, iflags, ItemEvent.Outcome.TRANSFERRED, false, null, o.logsItems());
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
        events.add(new ReceiverEvent.PhaseDone());
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

    /** main.c:handle_stats(): a client receiver reads the sender's totals. */
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

    /** receiver.c:receive_data() into a temp file, then the checksum check and the rename. */
    private void receiveFile(int ndx, FileEntry e, int phase) throws IOException {
        WireInput in = session.in();
        String path = ctx.dest(e);
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
                    : new BufferedOutputStream(Channels.newOutputStream(temp.channel()), writeBuffer(e.size()));
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
            failed(e, "rsync: [receiver] mkstemp \"" + path + "\" failed: " + writeError.getMessage());
            return;
        }
        if (!MessageDigest.isEqual(ours, theirs)) {
            temp.close();
            if (phase == 0 && redone.add(ndx)) {
                session.log().warning("WARNING: " + e.name() + " failed verification -- update discarded (will try again).");
                events.add(new ReceiverEvent.Redo(ndx));
            } else {
                failed(e, "ERROR: " + e.name() + " failed verification -- update discarded.");
            }
            return;
        }
        try {
            attrs.applyToTemp(temp.relPath(), path, e);
            temp.commit(path);
        } catch (IOException ex) {
            temp.close();
            failed(e, "rsync: [receiver] rename \"" + temp.relPath() + "\" -> \"" + path + "\": " + ex.getMessage());
        }
    }

    /** The write buffer for a received file: its size (small files are most files), at most 256 KiB. */
    private static int writeBuffer(long size) {
        return (int) Math.max(8192, Math.min(1 << 18, size));
    }

    /** A file that could not be received: rsync's error line, exit 23, and a FAILED event. */
    private void failed(FileEntry e, String why) {
        session.log().transferError(why);
        session.noteTransferError();
        session.item(e, 0, ItemEvent.Outcome.FAILED, false, why, false);
    }
}
