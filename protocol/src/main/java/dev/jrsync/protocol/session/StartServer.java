package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.fs.ConfinedRoot;
import dev.jrsync.protocol.handshake.TransferOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's side of a transfer once the protocol is set up (main.c:start_server(), with
 * do_server_sender() and do_server_recv()): the sender reads the client's filter list and sends the
 * named files; the receiver reads the filter list when it needs one, the file list, names its
 * destination ({@link LocalName}) and receives. Called by a daemon after its text phase and by
 * {@code --server} on a remote shell's pipes alike. Stateless.
 */
public final class StartServer {
    private StartServer() {
    }

    /**
     * Where a server's files are: a daemon resolves names inside its module, a remote-shell server
     * on the local file system. Called on the session's thread.
     */
    public interface Files {
        /**
         * The sender's arguments, as the client sent them ({@code relative}: -R, names keep their
         * whole path); roots opened go to {@code opened}.
         */
        List<SourceArgs.Arg> sources(List<String> paths, boolean relative, List<ConfinedRoot> opened) throws IOException;

        /** The receiver's destination argument ("" when the client sent none). */
        LocalName.Destination destination(String path) throws IOException;
    }

    /** Runs the role {@code session.options().sender} names; returns the exit code (0, 23, 24...). */
    public static int run(Session session, Files files) throws IOException {
        TransferOptions o = session.options();
        FilterList.receive(session);
        if (o.sender) {
            List<ConfinedRoot> opened = new ArrayList<>();
            try {
                return new Sender(session, files.sources(o.paths, o.relative, opened)).run();
            } finally {
                for (ConfinedRoot r : opened) {
                    r.close();
                }
            }
        }
        if (o.paths.size() > 1) {
            throw new RsyncException(ExitCode.RERR_SYNTAX, "a receiving server takes one destination, got "
                    + o.paths.size());
        }
        try (LocalName.Destination dest = files.destination(o.paths.isEmpty() ? "" : o.paths.getFirst())) {
            Receiving rx = new Receiving(session, null, "");
            var list = rx.receiveFileList();
            LocalName.Target t = LocalName.resolve(dest, list, o, session.log());
            ClientRun.aim(rx, t);
            return rx.run();
        }
    }

    /**
     * Ends a server whose transfer failed as rsync's exit_cleanup() does: the message (rsync's
     * wording) and, protocol 31+, MSG_ERROR_EXIT, unless the peer already knows.
     */
    public static void reportFailure(Session session, RsyncException e) {
        if (!e.peerInformed()) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            session.sendErrorExit(e.exitCode(), msg.startsWith("ERROR") || msg.startsWith("rsync")
                    ? msg : "rsync: " + msg);
        }
    }
}
