package dev.jrsync.protocol.session;

/**
 * Where a session's user-visible messages go: a client prints them, a server forwards them to its
 * client as multiplexed messages and/or writes its log file. Implementations must be thread-safe
 * (the generator and receiver threads both log).
 */
public interface SessionLog {
    /** Normal output (rsync's FINFO/FCLIENT), one line without the newline. */
    void info(String line);

    /** A warning (FWARNING). */
    void warning(String line);

    /** An error about one file (FERROR_XFER): the session ends with exit 23. */
    void transferError(String line);

    /** A fatal or general error (FERROR). */
    void error(String line);

    /** A deletion on the receiving side ("deleting NAME"), reported as stock does for the role. */
    void deleted(String name, boolean isDir);
}
