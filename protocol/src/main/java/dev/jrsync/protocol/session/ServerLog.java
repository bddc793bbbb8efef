package dev.jrsync.protocol.session;

import dev.jrsync.protocol.wire.MsgCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A server's messages (log.c:rwrite() with am_server): forwarded to the client as multiplexed
 * messages, which the client prints; errors also go to {@code errorLog} (a daemon's log file, or
 * nowhere for a remote-shell server). Thread-safe.
 */
public final class ServerLog implements SessionLog {
    private final Consumer<String> errorLog;
    private volatile Session session;

    public ServerLog(Consumer<String> errorLog) {
        this.errorLog = errorLog;
    }

    /** The session whose multiplexed stream carries the messages; nothing is sent before. */
    public void attach(Session s) {
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
        errorLog.accept(line);
        send(MsgCode.MSG_ERROR_XFER, line);
    }

    @Override
    public void error(String line) {
        errorLog.accept(line);
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
        byte[] b = dev.jrsync.protocol.fs.NameBytes.encode(name);
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
