package dev.jrsync.protocol;

/**
 * rsync's exit codes (errcode.h) and the text rsync prints for each.
 * Thread-safe: constants only.
 */
public final class ExitCode {
    public static final int RERR_OK = 0;
    public static final int RERR_SYNTAX = 1;
    public static final int RERR_PROTOCOL = 2;
    public static final int RERR_FILESELECT = 3;
    public static final int RERR_UNSUPPORTED = 4;
    public static final int RERR_STARTCLIENT = 5;
    public static final int RERR_SOCKETIO = 10;
    public static final int RERR_FILEIO = 11;
    public static final int RERR_STREAMIO = 12;
    public static final int RERR_MESSAGEIO = 13;
    public static final int RERR_IPC = 14;
    public static final int RERR_CRASHED = 15;
    public static final int RERR_TERMINATED = 16;
    public static final int RERR_SIGNAL1 = 19;
    public static final int RERR_SIGNAL = 20;
    public static final int RERR_WAITCHILD = 21;
    public static final int RERR_MALLOC = 22;
    public static final int RERR_PARTIAL = 23;
    public static final int RERR_VANISHED = 24;
    public static final int RERR_DEL_LIMIT = 25;
    public static final int RERR_TIMEOUT = 30;
    public static final int RERR_CONTIMEOUT = 35;
    /** The remote-shell child exit codes rsync passes on (errcode.h; 127: the remote rsync was not found). */
    public static final int RERR_CMD_FAILED = 124;
    public static final int RERR_CMD_KILLED = 125;
    public static final int RERR_CMD_RUN = 126;
    public static final int RERR_CMD_NOTFOUND = 127;

    private ExitCode() {
    }

    /** The explanation rsync prints in "rsync error: TEXT (code N)". Mirrors log.c:rerr_names. */
    public static String describe(int code) {
        return switch (code) {
            case RERR_OK -> "success";
            case RERR_SYNTAX -> "syntax or usage error";
            case RERR_PROTOCOL -> "protocol incompatibility";
            case RERR_FILESELECT -> "errors selecting input/output files, dirs";
            case RERR_UNSUPPORTED -> "requested action not supported";
            case RERR_STARTCLIENT -> "error starting client-server protocol";
            case RERR_SOCKETIO -> "error in socket IO";
            case RERR_FILEIO -> "error in file IO";
            case RERR_STREAMIO -> "error in rsync protocol data stream";
            case RERR_MESSAGEIO -> "errors with program diagnostics";
            case RERR_IPC -> "error in IPC code";
            case RERR_CRASHED -> "sibling process crashed";
            case RERR_TERMINATED -> "sibling process terminated abnormally";
            case RERR_SIGNAL1 -> "received SIGUSR1";
            case RERR_SIGNAL -> "received SIGINT, SIGTERM, or SIGHUP";
            case RERR_WAITCHILD -> "waitpid() failed";
            case RERR_MALLOC -> "error allocating core memory buffers";
            case RERR_PARTIAL -> "some files/attrs were not transferred (see previous errors)";
            case RERR_VANISHED -> "some files vanished before they could be transferred";
            case RERR_DEL_LIMIT -> "the --max-delete limit stopped deletions";
            case RERR_TIMEOUT -> "timeout in data send/receive";
            case RERR_CONTIMEOUT -> "timeout waiting for daemon connection";
            case RERR_CMD_FAILED -> "remote shell failed";
            case RERR_CMD_KILLED -> "remote shell killed";
            case RERR_CMD_RUN -> "remote command could not be run";
            case RERR_CMD_NOTFOUND -> "remote command not found";
            default -> "unexplained error";
        };
    }
}
