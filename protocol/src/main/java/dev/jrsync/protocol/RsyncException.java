package dev.jrsync.protocol;

import java.io.IOException;

/**
 * An expected failure that ends a session with one of rsync's exit codes ({@link ExitCode}).
 * The message is what the user sees (without the "rsync error:" trailer).
 */
public class RsyncException extends IOException {
    private final int exitCode;
    /** True when the peer has already been told (e.g. it sent MSG_ERROR_EXIT or an @ERROR line). */
    private final boolean peerInformed;

    public RsyncException(int exitCode, String message) {
        this(exitCode, message, null, false);
    }

    public RsyncException(int exitCode, String message, Throwable cause) {
        this(exitCode, message, cause, false);
    }

    public RsyncException(int exitCode, String message, Throwable cause, boolean peerInformed) {
        super(message, cause);
        this.exitCode = exitCode;
        this.peerInformed = peerInformed;
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean peerInformed() {
        return peerInformed;
    }

    private boolean verbatim;

    /**
     * A message rsync prints as it is, without the "rsync: " prefix (its usage errors: "The source and
     * destination cannot both be remote.").
     */
    public static RsyncException verbatim(int exitCode, String message) {
        RsyncException e = new RsyncException(exitCode, message);
        e.verbatim = true;
        return e;
    }

    /** Whether the message is printed without the "rsync: " prefix. */
    public boolean isVerbatim() {
        return verbatim || getCause() instanceof RsyncException r && r.isVerbatim();
    }

    /** Malformed or unexpected data from the peer (exit 12). */
    public static RsyncException stream(String message) {
        return new RsyncException(ExitCode.RERR_STREAMIO, message);
    }

    /** Incompatible protocol use by the peer (exit 2). */
    public static RsyncException protocol(String message) {
        return new RsyncException(ExitCode.RERR_PROTOCOL, message);
    }
}
