package dev.jrsync.protocol.session;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.handshake.TransferOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The filter list on the wire (exclude.c:send_filter_list(), recv_filter_list()): the client sends
 * its rules after the protocol setup, to a server that sends (a pull) always and to a server that
 * receives only when that receiver needs them (deleting). The one home of both conditions. Rules
 * themselves are not applied yet, so a non-empty list is refused. Stateless.
 */
public final class FilterList {
    /** rsync's rule buffer is MAXPATHLEN-sized; a longer rule is a protocol error. */
    static final int MAX_RULE = 4096;

    private FilterList() {
    }

    /** exclude.c: receiver_wants_list (no --prune-empty-dirs or --delete-excluded in jrsync yet). */
    static boolean receiverWantsList(TransferOptions o) {
        return o.deleting();
    }

    /** Whether a list crosses the wire: the sending side of it is the client, the reading side the server. */
    static boolean onWire(TransferOptions o, boolean serverSends) {
        return serverSends || receiverWantsList(o);
    }

    /** Client side: sends our rules (none yet): the empty list, one zero int, when the server reads one. */
    public static void send(Session session, boolean serverSends) throws IOException {
        if (onWire(session.options(), serverSends)) {
            session.out().writeInt(0);
            session.out().flush();
        }
    }

    /** Server side: reads the client's list when one comes, and refuses rules it cannot apply yet. */
    public static void receive(Session session) throws IOException {
        TransferOptions o = session.options();
        if (!onWire(o, o.sender)) {
            return;
        }
        List<String> rules = new ArrayList<>();
        while (true) {
            int len = session.in().readInt();
            if (len == 0) {
                break;
            }
            String rule = dev.jrsync.protocol.fs.NameBytes.decode(session.in().readBytes(len, MAX_RULE, "filter rule"));
            if (rules.isEmpty()) {
                rules.add(rule); // only the first is kept, for the message
            }
        }
        if (!rules.isEmpty()) {
            throw new RsyncException(ExitCode.RERR_UNSUPPORTED,
                    "filter rules are not supported by jrsync yet: " + rules.getFirst());
        }
    }
}
