package dev.jrsync.protocol.session;

import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.handshake.NegotiationLists;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.wire.Duplex;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client's side of a transfer once a transport has a duplex to the server (main.c:client_run()):
 * protocol setup, the filter list, then the sending role (a push) or the receiving role (a pull,
 * or a listing). Every client transport calls it: daemon over TCP, daemon over a remote shell,
 * remote-shell server, local copy. Stateless.
 */
public final class ClientRun {
    /** Pass as {@code protocol} when no daemon greeting negotiated it: the versions are exchanged as ints. */
    public static final int EXCHANGE = 0;

    private ClientRun() {
    }

    /**
     * What the client side's session needs besides the options: where messages and per-item events
     * go, this process's negotiation lists, and whether the far side is this process (a local copy).
     */
    public record Context(SessionLog log, TransferListener listener, NegotiationLists lists, boolean localServer) {
    }

    /** Sends {@code sources} (a push). */
    public static TransferResult push(Duplex d, int protocol, TransferOptions o, Context ctx,
                                      List<SourceArgs.Arg> sources) throws IOException {
        SessionLog log = ctx.log();
        Session session = open(d, protocol, o, ctx);
        try {
            FilterList.send(session, false);
            if (o.verbose > 0) {
                log.info("building file list ... done");
            }
            int code;
            try (Session.KeepAlive keepAlive = session.startKeepAlive(o.timeout)) {
                code = new Sender(session, sources).run();
            }
            return result(session, code, false);
        } catch (RsyncException e) {
            throw informPeer(session, e);
        }
    }

    /**
     * Receives into {@code dest} (a pull), or, with {@code lister}, prints the entries instead
     * (--list-only, or a source without destination); {@code dest} is then null.
     */
    public static TransferResult pull(Duplex d, int protocol, TransferOptions o, Context ctx,
                                      LocalName.Destination dest, Consumer<FileEntry> lister) throws IOException {
        SessionLog log = ctx.log();
        Session session = open(d, protocol, o, ctx);
        try {
            FilterList.send(session, true);
            if (o.verbose > 0) {
                log.info("receiving file list ... done");
            }
            Receiving rx = new Receiving(session, null, "");
            List<FileEntry> list = rx.receiveFileList();
            if (list.stream().noneMatch(e -> e != null)) {
                return result(session, session.exitCode(), true);
            }
            if (lister != null) {
                rx.setListOnly(lister);
            } else {
                aim(rx, LocalName.resolve(dest, list, o, log));
            }
            try (Session.KeepAlive keepAlive = session.startKeepAlive(o.timeout)) {
                return result(session, rx.run(), true);
            }
        } catch (RsyncException e) {
            throw informPeer(session, e);
        }
    }

    /** Points a receiving side at what {@link LocalName} decided. */
    static void aim(Receiving rx, LocalName.Target t) {
        rx.withRoot(t.root(), t.prefix());
        if (t.soloPath() != null) {
            rx.setSoloFile(t.soloPath());
        }
        if (t.created()) {
            rx.markRootCreated();
        }
    }

    private static Session open(Duplex d, int protocol, TransferOptions o, Context ctx) throws IOException {
        SessionLog log = ctx.log();
        // --bwlimit holds what this side writes, whatever the transport (io.c applies it to every socket write).
        Session session = new Session(d.input(), dev.jrsync.protocol.wire.BwLimit.wrap(d.output(), o.bwlimit), o, false,
                log);
        session.setListener(ctx.listener());
        session.negotiationLists(ctx.lists());
        if (ctx.localServer()) {
            session.markLocalServer();
        }
        session.setOnFailure(d::close);
        int p = protocol == EXCHANGE ? session.exchangeProtocol(o.protocol) : protocol;
        session.setup(p);
        session.setupResult().debugLines().forEach(log::info);
        return session;
    }

    private static TransferResult result(Session session, int code, boolean receiving) {
        int peer = session.peerExitCode();
        int exit = peer > 0 && code == 0 ? peer : code;
        Stats s = session.stats();
        long sent = receiving && s.peerRead >= 0 ? s.peerRead : session.out().bytesWritten();
        long received = receiving && s.peerWritten >= 0 ? s.peerWritten : session.in().bytesRead();
        return new TransferResult(exit, s.snapshot(), sent, received, session.protocol());
    }

    /** Tells the peer about a local failure (if it does not know yet) and returns the exception to throw. */
    private static RsyncException informPeer(Session session, RsyncException e) {
        if (!e.peerInformed()) {
            session.sendErrorExit(e.exitCode(), null);
        }
        return e;
    }
}
