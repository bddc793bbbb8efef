package dev.jrsync.interop.support;

import java.nio.file.Path;

/**
 * A daemon under test listening on 127.0.0.1: a {@link DaemonProcess} plus the URLs to reach it.
 * Safe to use from several threads; {@link #close()} blocks until the daemon process tree has
 * exited (bounded) and may be called more than once. The subclasses only differ in how they start.
 */
public abstract sealed class RsyncDaemon implements AutoCloseable permits StockDaemon, JrsyncDaemon {
    private final DaemonProcess process;

    RsyncDaemon(DaemonProcess process) {
        this.process = process;
    }

    /** The TCP port the daemon listens on. */
    public int port() {
        return process.port();
    }

    /** PID of the daemon process (the listener; per-connection children are its descendants). */
    public long pid() {
        return process.pid();
    }

    /** The rsyncd.conf it was started with. */
    public Path configFile() {
        return process.configFile();
    }

    /** The {@code log file} named in its configuration (may not exist if the daemon never wrote it). */
    public Path logFile() {
        return process.logFile();
    }

    /** Its log file, stdout and stderr so far, for assertion messages. */
    public String output() {
        return process.output();
    }

    /** {@code rsync://127.0.0.1:PORT/MODULE/}: the trailing slash makes rsync copy the module's contents. */
    public String url(String module) {
        return "rsync://127.0.0.1:" + port() + "/" + module + "/";
    }

    /** Same as {@link #url(String)} with a user name, for authenticated modules. */
    public String url(String user, String module) {
        return "rsync://" + user + "@127.0.0.1:" + port() + "/" + module + "/";
    }

    /** Stops the daemon and its children by PID: SIGTERM, then SIGKILL after a bound. */
    @Override
    public void close() {
        process.close();
    }
}
