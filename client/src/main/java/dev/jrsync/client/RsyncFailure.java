package dev.jrsync.client;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;

/**
 * A transfer that did not complete, typed for callers of the Java API: {@link #kind()} says what went
 * wrong, {@link #exitCode()} is the code rsync would exit with. (A transfer that completed with some
 * files failed is not a failure: its {@link dev.jrsync.protocol.session.TransferResult} carries exit
 * code 23 or 24 and the {@link dev.jrsync.protocol.session.ItemEvent}s say which.) Immutable.
 */
public final class RsyncFailure extends RsyncException {
    /** What kind of failure. */
    public enum Kind {
        /** The daemon refused the user or password (exit 5). */
        AUTHENTICATION,
        /** Connecting failed or the connection broke (exit 10, 12, 35, or the remote shell's 255). */
        CONNECTION,
        /** No data for --timeout seconds (exit 30). */
        TIMEOUT,
        /** {@link RsyncTransfer#cancel()} was called (exit 20, as for SIGINT). */
        CANCELLED,
        /** The arguments were wrong or an option is not supported (exit 1, 4). */
        USAGE,
        /** The peers disagree on the protocol (exit 2) or the daemon refused the session (exit 5). */
        PROTOCOL,
        /** Source or destination unusable (exit 3, 11). */
        FILES,
        /** The remote command could not be run or was not found (exit 14, 124-127). */
        REMOTE_COMMAND,
        /** Anything else; see the exit code. */
        OTHER
    }

    private final Kind kind;

    RsyncFailure(Kind kind, int exitCode, String message, Throwable cause, boolean peerInformed) {
        super(exitCode, message, cause, peerInformed);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The failure an engine exception stands for. */
    static RsyncFailure of(RsyncException e) {
        if (e instanceof RsyncFailure f) {
            return f;
        }
        int code = e.exitCode();
        String msg = e.getMessage() == null ? "" : e.getMessage();
        Kind kind = switch (code) {
            case ExitCode.RERR_STARTCLIENT -> msg.contains("auth failed") ? Kind.AUTHENTICATION : Kind.PROTOCOL;
            case ExitCode.RERR_SOCKETIO, ExitCode.RERR_STREAMIO, ExitCode.RERR_CONTIMEOUT, 255 -> Kind.CONNECTION;
            case ExitCode.RERR_TIMEOUT -> Kind.TIMEOUT;
            case ExitCode.RERR_SIGNAL -> Kind.CANCELLED;
            case ExitCode.RERR_SYNTAX, ExitCode.RERR_UNSUPPORTED -> Kind.USAGE;
            case ExitCode.RERR_PROTOCOL -> Kind.PROTOCOL;
            case ExitCode.RERR_FILESELECT, ExitCode.RERR_FILEIO -> Kind.FILES;
            case ExitCode.RERR_IPC, ExitCode.RERR_CMD_FAILED, ExitCode.RERR_CMD_KILLED, ExitCode.RERR_CMD_RUN,
                 ExitCode.RERR_CMD_NOTFOUND -> Kind.REMOTE_COMMAND;
            default -> Kind.OTHER;
        };
        return new RsyncFailure(kind, code, msg, e, e.peerInformed());
    }
}
