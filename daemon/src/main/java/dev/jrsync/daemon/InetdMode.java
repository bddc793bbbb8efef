package dev.jrsync.daemon;

import dev.jrsync.daemon.config.ConfigException;
import dev.jrsync.daemon.config.RsyncdConf;
import dev.jrsync.protocol.ExitCode;
import dev.jrsync.transport.Connection;
import dev.jrsync.transport.SocketChannelConnection;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * clientserver.c:daemon_main()'s inetd branch: a socket on stdin (inetd "nowait", systemd Accept=yes, a client's
 * RSYNC_CONNECT_PROG) is one client. Stdout and stderr go to /dev/null first, as stock does; the config is read
 * once; the connection is served like one accepted by the listener; the process then exits. No listener, pid
 * file or detaching, whatever the config or command line say.
 */
final class InetdMode {
    private InetdMode() {
    }

    /** Serves the connection on {@code socket}; returns the exit code stock's inetd-mode process ends with. */
    static int serve(DaemonOptions o, SocketChannel socket) {
        // Stdout may be the client's socket itself (inetd) and stderr the client's terminal (RSYNC_CONNECT_PROG).
        BecomeDaemon.nullStdio(1, 2);
        RsyncdConf conf;
        try {
            conf = RsyncdConf.load(o.config(), o.dparams());
        } catch (ConfigException e) {
            // Stock exits here with RERR_SYNTAX, sending nothing: the client sees the connection close.
            closeQuietly(socket);
            return ExitCode.RERR_SYNTAX;
        }
        Path logFile = o.logFile() != null ? o.logFile() : conf.global().logFile().orElse(null);
        // A log file that cannot be opened falls back to stderr inside DaemonLog.open, as stock's does.
        DaemonLog log = DaemonLog.open(logFile);
        try {
            Connection conn = SocketChannelConnection.of(socket, SocketChannelConnection.UNKNOWN_PEER);
            ConnectionSession session = new ConnectionSession(conf, log, conn, new ConcurrentHashMap<>(),
                    ConnectionSession.HANDSHAKE_DEADLINE);
            try {
                session.run();
                try {
                    conn.output().flush();
                } catch (IOException ignored) {
                    // The client has gone; nothing left to say.
                }
                return session.exitCode();
            } catch (Exception e) {
                log.log("connection from " + conn.remoteAddress().getAddress().getHostAddress() + " ended: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return e instanceof dev.jrsync.protocol.RsyncException r ? r.exitCode() : ExitCode.RERR_STREAMIO;
            } finally {
                conn.close();
            }
        } catch (IOException e) {
            log.log("inetd connection: " + e.getMessage());
            closeQuietly(socket);
            return ExitCode.RERR_SOCKETIO;
        } finally {
            try {
                log.close();
            } catch (IOException ignored) {
                // Exiting anyway.
            }
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Exiting anyway.
        }
    }
}
