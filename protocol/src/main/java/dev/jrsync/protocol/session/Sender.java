package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.delta.Matcher;
import dev.jrsync.protocol.delta.Signature;
import dev.jrsync.protocol.delta.SumHead;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.flist.FileListSort;
import dev.jrsync.protocol.flist.FileListWriter;
import dev.jrsync.protocol.flist.IdNames;
import dev.jrsync.protocol.flist.Xmit;
import dev.jrsync.protocol.handshake.Compat;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.token.CompressedTokenWriter;
import dev.jrsync.protocol.token.TokenCodecs;
import dev.jrsync.protocol.wire.MsgCode;
import dev.jrsync.protocol.wire.Ndx;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sending role: file list out, then for each request from the peer's generator the delta of
 * that file (sender.c:send_files(), main.c:read_final_goodbye()). Runs on one thread that owns
 * both directions of the session. Blocks on the network and the file system.
 */
public final class Sender {
    private final Session session;
    private final List<SourceScanner.Arg> args;

    public Sender(Session session, List<SourceArgs.Arg> args) {
        this.session = session;
        this.args = SourceScanner.of(args);
    }

    /** Runs the whole sending side; returns rsync's exit code for the local side. */
    public int run() throws IOException {
        WireInput in = session.in();
        WireOutput out = session.out();
        TransferOptions o = session.options();
        int proto = session.protocol();
        session.armKeepAlive();

        long t0 = System.nanoTime();
        List<SourceScanner.Source> sources = new SourceScanner(session).scan(args);
        long t1 = System.nanoTime();
        session.stats().flistBuildMillis.set((t1 - t0) / 1_000_000);
        long before = out.bytesWritten();
        FileListWriter writer = new FileListWriter(out, Transfer.flistOptions(session), IdNames.system());
        for (SourceScanner.Source s : sources) {
            writer.write(s.entry());
        }
        boolean safe = session.setupResult().has(Compat.CF_SAFE_FLIST) || proto >= 31;
        int ioErr = session.ioError();
        writer.end(ioErr);
        if (!safe && ioErr != 0 && proto >= 30) {
            session.muxOut().writeIntMessage(MsgCode.MSG_IO_ERROR, ioErr);
        }
        out.flush();
        session.stats().flistSize.set(out.bytesWritten() - before);
        session.stats().flistTransferMillis.set((System.nanoTime() - t1) / 1_000_000);

        List<FileEntry> wire = new ArrayList<>(sources.size());
        Map<FileEntry, SourceScanner.Source> byEntry = new IdentityHashMap<>();
        for (SourceScanner.Source s : sources) {
            wire.add(s.entry());
            byEntry.put(s.entry(), s);
        }
        List<FileEntry> sorted = FileListSort.sorted(wire, proto);
        sorted.forEach(session.stats()::countEntry);

        if (sorted.isEmpty() && session.isServer()) {
            // main.c: a server sender with an empty list exits right after sending it.
            return session.exitCode();
        }

        int phase = 0;
        int maxPhase = proto >= 29 ? 2 : 1;
        // One token writer for the session: zstd's stream continues across files.
        CompressedTokenWriter tokens = TokenCodecs.writer(session.compression(), session.compressionLevel(),
                session.compressionThreads(), out, proto);
        while (true) {
            int ndx = readNdx(in, out);
            if (ndx == Ndx.DONE) {
                if (++phase > maxPhase) {
                    break;
                }
                out.writeNdx(Ndx.DONE);
                out.flush();
                continue;
            }
            if (ndx < 0 || ndx >= sorted.size()) {
                throw RsyncException.protocol("Invalid file index: " + ndx + " (-1 - " + (sorted.size() - 1) + ") [sender]");
            }
            int iflags = proto >= 29 ? in.readShort() : Item.TRANSFER | Item.MISSING_DATA;
            int basisType = (iflags & Item.BASIS_TYPE_FOLLOWS) != 0 ? in.readByte() : -1;
            String xname = (iflags & Item.XNAME_FOLLOWS) != 0 ? in.readVstring(4096) : null;
            FileEntry e = sorted.get(ndx);
            if ((iflags & Item.TRANSFER) == 0 || o.dryRun) {
                if (proto >= 29) {
                    writeNdxAndAttrs(out, ndx, iflags, basisType, xname);
                }
                boolean transfer = (iflags & Item.TRANSFER) != 0;
                session.item(e, iflags, transfer ? ItemEvent.Outcome.TRANSFERRED : ItemEvent.withoutData(iflags),
                        !session.isLocalServer(), null, o.logsItems() && (transfer || Item.worthLogging(iflags, o.itemize ? 1 : 0)));
                if ((iflags & Item.TRANSFER) != 0) {
                    session.stats().transferredFiles.incrementAndGet();
                    session.stats().transferredSize.addAndGet(e.size());
                }
                continue;
            }
            if (!e.isRegular()) {
                throw RsyncException.protocol("got transfer request for non-regular file " + e.name() + " [sender]");
            }
            SumHead head = SumHead.read(in, proto, session.profile().digestLength());
            Signature sig = Signature.read(in, head);
            SourceScanner.Source src = byEntry.get(e);
            FileChannel ch;
            try {
                ch = src.root().openRead(src.path());
            } catch (IOException ex) {
                String why = "rsync: [sender] send_files failed to open \"" + src.path() + "\": " + ex.getMessage();
                session.log().transferError(why);
                session.item(e, iflags, ItemEvent.Outcome.FAILED, !session.isLocalServer(), why, false);
                session.addIoError(Xmit.IOERR_VANISHED);
                if (proto >= 30) {
                    session.muxOut().writeIntMessage(MsgCode.MSG_NO_SEND, ndx);
                }
                continue;
            }
            try (ch) {
                writeNdxAndAttrs(out, ndx, iflags, basisType, xname);
                head.write(out, proto);
                long length = ch.size();
                Matcher matcher = new Matcher(sig, session.profile());
                MapPtr data = new MapPtr(Channels.newInputStream(ch), length);
                byte[] digest = matcher.run(data, length, tokens);
                if (data.error() != null) {
                    // send_files(): the data went out zero-filled; the file counts as an I/O error (exit 23).
                    session.log().transferError("rsync: [sender] read errors mapping \"" + src.root().root()
                            .resolve(src.path()) + "\": " + data.error());
                    session.addIoError(Xmit.IOERR_GENERAL);
                }
                tokens.end();
                out.write(digest);
                session.stats().literalData.addAndGet(matcher.literalBytes());
                session.stats().matchedData.addAndGet(matcher.matchedBytes());
                session.stats().transferredFiles.incrementAndGet();
                session.stats().transferredSize.addAndGet(length);
            }
            session.item(e, iflags, ItemEvent.Outcome.TRANSFERRED, !session.isLocalServer(), null, o.logsItems());
        }
        out.writeNdx(Ndx.DONE);
        if (session.isServer()) {
            writeStats(out, proto);
        }
        out.flush();
        readFinalGoodbye(in, out, proto);
        return session.exitCode();
    }

    private void writeStats(WireOutput out, int proto) throws IOException {
        Stats s = session.stats();
        out.writeVarlong30(session.in().bytesRead(), 3);
        out.writeVarlong30(out.bytesWritten(), 3);
        out.writeVarlong30(s.totalSize.get(), 3);
        if (proto >= 29) {
            out.writeVarlong30(s.flistBuildMillis.get(), 3);
            out.writeVarlong30(s.flistTransferMillis.get(), 3);
        }
    }

    private static void writeNdxAndAttrs(WireOutput out, int ndx, int iflags, int basisType, String xname)
            throws IOException {
        out.writeNdx(ndx);
        if (out.protocol() >= 29) {
            out.writeShort(iflags);
            if (basisType >= 0) {
                out.writeByte(basisType);
            }
            if (xname != null) {
                out.writeVstring(xname);
            }
        }
    }

    /** read_ndx_and_attrs(): NDX_DEL_STATS is consumed (and echoed by a server sender) wherever it appears. */
    private int readNdx(WireInput in, WireOutput out) throws IOException {
        while (true) {
            int ndx = in.readNdx();
            if (ndx != Ndx.DEL_STATS || session.protocol() < 31) {
                return ndx;
            }
            int[] del = Transfer.readDelStats(in);
            Transfer.applyDelStats(session, del);
            if (session.isServer()) {
                out.writeNdx(Ndx.DEL_STATS);
                for (int v : del) {
                    out.writeVarint(v);
                }
            }
        }
    }

    /** main.c:read_final_goodbye() for the sender. */
    private void readFinalGoodbye(WireInput in, WireOutput out, int proto) throws IOException {
        if (proto < 24) {
            return;
        }
        int i = proto < 29 ? in.readInt() : readNdx(in, out);
        if (proto >= 31 && i == Ndx.DONE) {
            out.writeNdx(Ndx.DONE);
            out.flush();
            i = readNdx(in, out);
        }
        if (i != Ndx.DONE) {
            throw new RsyncException(ExitCode.RERR_PROTOCOL, "Invalid packet at end of run (" + i + ") [sender]");
        }
    }
}
