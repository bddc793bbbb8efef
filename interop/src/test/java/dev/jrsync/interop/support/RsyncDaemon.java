package dev.jrsync.interop.support;

import java.nio.file.Path;

/**
 * A daemon under test listening on 127.0.0.1. Implementations are safe to use from several threads;
 * {@link #close()} blocks until the daemon process tree has exited (bounded) and may be called more than once.
 */
public sealed interface RsyncDaemon extends AutoCloseable permits StockDaemon, JrsyncDaemon {

    /** The TCP port the daemon listens on. */
    int port();

    /** PID of the daemon process (the listener; per-connection children are its descendants). */
    long pid();

    /** The rsyncd.conf it was started with. */
    Path configFile();

    /** The {@code log file} named in its configuration (may not exist if the daemon never wrote it). */
    Path logFile();

    /** Its log file, stdout and stderr so far, for assertion messages. */
    String output();

    /** {@code rsync://127.0.0.1:PORT/MODULE/}: the trailing slash makes rsync copy the module's contents. */
    default String url(String module) {
        return "rsync://127.0.0.1:" + port() + "/" + module + "/";
    }

    /** Same as {@link #url(String)} with a user name, for authenticated modules. */
    default String url(String user, String module) {
        return "rsync://" + user + "@127.0.0.1:" + port() + "/" + module + "/";
    }

    /** Stops the daemon and its children by PID: SIGTERM, then SIGKILL after a bound. */
    @Override
    void close();
}
