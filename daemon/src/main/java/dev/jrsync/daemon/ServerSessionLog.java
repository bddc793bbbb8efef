package dev.jrsync.daemon;

import dev.jrsync.protocol.session.Session;
import dev.jrsync.protocol.session.SessionLog;
import dev.jrsync.protocol.wire.MsgCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A daemon session's messages: forwarded to the client as multiplexed messages (what the client
 * prints) and errors also written to the daemon log. Thread-safe.
 */
final class ServerSessionLog implements SessionLog {
    private final DaemonLog daemonLog;
    private volatile Session session;

    ServerSessionLog(DaemonLog daemonLog) {
        this.daemonLog = daemonLog;
    }

    void attach(Session s) {
        this.session = s;
    }

    @Override
    public void info(String line) {
        send(MsgCode.MSG_INFO, line);
    }

    @Override
    public void warning(String line) {
        send(MsgCode.MSG_WARNING, line);
    }

    @Override
    public void transferError(String line) {
        daemonLog.log(line);
        send(MsgCode.MSG_ERROR_XFER, line);
    }

    @Override
    public void error(String line) {
        daemonLog.log(line);
        send(MsgCode.MSG_ERROR, line);
    }

    @Override
    public void deleted(String name, boolean isDir) {
        Session s = session;
        if (s == null) {
            return;
        }
        if (s.protocol() < 29) {
            // log.c:log_delete() before MSG_DELETED existed: a formatted line for the client. With an
            // itemize format stock's line has no name ("*deleting  "), a quirk clients show as is.
            var o = s.options();
            String line = o.itemizes() ? "*deleting  " : o.verbose > 0 ? "deleting " + name + (isDir ? "/" : "") : null;
            if (line != null) {
                send(MsgCode.MSG_INFO, line);
            }
            return;
        }
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (isDir) {
            b = java.util.Arrays.copyOf(b, b.length + 1);
        }
        try {
            s.muxOut().writeMessage(MsgCode.MSG_DELETED, b);
        } catch (IOException ignored) {
            // The session's own error path reports a dead connection.
        }
    }

    private void send(int code, String line) {
        Session s = session;
        if (s != null) {
            s.sendMessage(code, line + "\n");
        }
    }
}
